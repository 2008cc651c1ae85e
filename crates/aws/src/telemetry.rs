//! The slow reads: Direct Connect CloudWatch metrics (GetMetricData, up to 500 queries a call,
//! the last hour at 5-minute periods) and the BGP route counts of every VIF
//! (ListVirtualInterfaceRoutes). Both need the connection and VIF ids: the Direct Connect
//! poll hands over the lists it has just read ([`from_inventory`]).

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use chrono::Utc;

use super::{RegionClients, api_error, opt};
use crate::model::*;

/// One metric query: `(resource id, dimension name, metric name)`.
type Wanted = (String, String, String);
/// The points of one query, by its index: `(index, [(time, value)])`.
type Points = (usize, Vec<(Timestamp, f64)>);

/// GetMetricData takes at most 500 queries per call.
const QUERIES_PER_CALL: usize = 500;

/// The metrics and route counts of the connections and VIFs just read; a failed list fails
/// both kinds with its error.
pub async fn from_inventory(
    c: &RegionClients,
    region: &str,
    conns: Result<Vec<Connection>, ApiError>,
    vifs: Result<Vec<VirtualInterface>, ApiError>,
) -> Vec<Update> {
    let now = Utc::now;
    let (conns, vifs) = match (conns, vifs) {
        (Ok(c), Ok(v)) => (c, v),
        (Err(err), _) | (_, Err(err)) => {
            let kinds = [ResourceKind::DxMetrics, ResourceKind::DxVifRoutes];
            return kinds
                .map(|k| Update::err(region, k, now(), err.clone()))
                .to_vec();
        }
    };
    let mut out = Vec::new();
    let mut emit = |u: Update| out.push(u);
    // Only ids, names and types: nothing secret is kept.
    let vifs: Vec<(String, String, String)> = vifs
        .into_iter()
        .map(|v| (v.id, v.name, v.vif_type))
        .collect();
    let (dx, cw) = (c.dx.clone(), c.cw.clone());
    let mut wanted: Vec<Wanted> = Vec::new();
    for c in &conns {
        let id = &c.id;
        for m in CONNECTION_METRICS.iter().copied() {
            wanted.push((id.clone(), "ConnectionId".into(), m.into()));
        }
    }
    for (id, _, _) in &vifs {
        for m in VIF_METRICS.iter().copied() {
            wanted.push((id.clone(), "VirtualInterfaceId".into(), m.into()));
        }
    }
    let (metrics, routes) =
        futures_util::join!(metrics(cw.clone(), wanted), route_counts(dx.clone(), vifs));
    emit(match metrics {
        Ok(series) => Update::ok(region, now(), Batch::DxMetrics(series)),
        Err(e) => Update::err(region, ResourceKind::DxMetrics, now(), e),
    });
    emit(match routes {
        Ok(counts) => Update::ok(region, now(), Batch::DxVifRoutes(counts)),
        Err(e) => Update::err(region, ResourceKind::DxVifRoutes, now(), e),
    });
    out
}

/// The last hour of each `(resource id, dimension, metric)`, 5-minute `Average`s, batched 500
/// queries a call and paged by `NextToken`. A metric without data is an empty series.
async fn metrics(
    cw: aws_sdk_cloudwatch::Client,
    wanted: Vec<Wanted>,
) -> Result<Vec<MetricSeries>, ApiError> {
    let end = Utc::now();
    let start = end - chrono::Duration::hours(1);
    let mut series: Vec<MetricSeries> = wanted
        .iter()
        .map(|(id, _, m)| MetricSeries {
            id: format!("{id}|{m}"),
            name: m.clone(),
            state: String::new(),
            resource_id: id.clone(),
            points: Vec::new(),
        })
        .collect();
    let chunks: Vec<(usize, Vec<Wanted>)> = wanted
        .chunks(QUERIES_PER_CALL)
        .enumerate()
        .map(|(i, ch)| (i * QUERIES_PER_CALL, ch.to_vec()))
        .collect();
    use futures_util::StreamExt;
    let answers: Vec<Result<Vec<Points>, ApiError>> =
        futures_util::stream::iter(chunks.into_iter().map({
            let cw = cw.clone();
            move |(base, chunk)| metric_chunk(cw.clone(), base, chunk, start, end)
        }))
        .buffered(super::engine::FAN_OUT)
        .collect()
        .await;
    let mut results = Vec::new();
    for a in answers {
        results.extend(a?);
    }
    for (i, pts) in results {
        if let Some(s) = series.get_mut(i) {
            s.points.extend(pts);
        }
    }
    for s in &mut series {
        s.points.sort_by_key(|p| p.0);
        s.points.dedup_by_key(|p| p.0);
    }
    Ok(series)
}

/// One GetMetricData call's queries (ids `q<base + i>`), every page: `(query index, points)`.
async fn metric_chunk(
    cw: aws_sdk_cloudwatch::Client,
    base: usize,
    chunk: Vec<Wanted>,
    start: Timestamp,
    end: Timestamp,
) -> Result<Vec<Points>, ApiError> {
    let queries: Vec<MetricDataQuery> = chunk
        .iter()
        .enumerate()
        .map(|(i, (id, dim, m))| {
            MetricDataQuery::builder()
                .id(format!("q{}", base + i))
                .metric_stat(
                    MetricStat::builder()
                        .metric(
                            Metric::builder()
                                .namespace("AWS/DX")
                                .metric_name(m)
                                .dimensions(Dimension::builder().name(dim).value(id).build())
                                .build(),
                        )
                        .period(300)
                        .stat("Average")
                        .build(),
                )
                .return_data(true)
                .build()
        })
        .collect();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let o = cw
            .get_metric_data()
            .set_metric_data_queries(Some(queries.clone()))
            .start_time(aws_smithy_types::DateTime::from_secs(start.timestamp()))
            .end_time(aws_smithy_types::DateTime::from_secs(end.timestamp()))
            .scan_by(ScanBy::TimestampAscending)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| api_error("GetMetricData", &e))?;
        for r in o.metric_data_results() {
            let Some(i) = r
                .id()
                .and_then(|x| x.strip_prefix('q'))
                .and_then(|x| x.parse::<usize>().ok())
            else {
                continue;
            };
            let pts = r
                .timestamps()
                .iter()
                .zip(r.values())
                .filter_map(|(t, v)| super::ts(Some(t)).map(|t| (t, *v)))
                .collect();
            out.push((i, pts));
        }
        match opt(o.next_token()) {
            Some(n) if Some(&n) != token.as_ref() => token = Some(n),
            _ => break,
        }
    }
    Ok(out)
}

/// The routes of one VIF.
async fn vif_routes(
    dx: aws_sdk_directconnect::Client,
    id: String,
) -> Result<Vec<VifRoute>, ApiError> {
    super::directconnect::list_routes(&dx, &id, None).await
}

/// Accepted and advertised prefixes of every VIF (ListVirtualInterfaceRoutes), a bounded
/// number of VIFs at once.
async fn route_counts(
    dx: aws_sdk_directconnect::Client,
    vifs: Vec<Wanted>,
) -> Result<Vec<VifRouteCount>, ApiError> {
    let mut out = Vec::new();
    use futures_util::StreamExt;
    let answers: Vec<Result<Vec<VifRoute>, ApiError>> =
        futures_util::stream::iter(vifs.clone().into_iter().map({
            let dx = dx.clone();
            move |v| vif_routes(dx.clone(), v.0)
        }))
        .buffered(super::engine::FAN_OUT)
        .collect()
        .await;
    let mut counts = Vec::new();
    for a in answers {
        counts.push(a?);
    }
    for ((id, name, vif_type), routes) in vifs.iter().zip(counts) {
        out.push(VifRouteCount {
            id: id.clone(),
            name: name.clone(),
            state: String::new(),
            vif_type: vif_type.clone(),
            accepted: routes.iter().filter(|r| r.direction == "accepted").count(),
            advertised: routes
                .iter()
                .filter(|r| r.direction == "advertised")
                .count(),
        });
    }
    Ok(out)
}
