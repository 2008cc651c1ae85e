//! Shared test harness: a loopback HTTP fixture server that answers AWS JSON operations by
//! `X-Amz-Target` with bodies from `tests/fixtures/`, and client builders that point the
//! real SDK at it (or at moto, via `MOTO_URL`).

pub mod console;

use std::path::PathBuf;

use crossconnect::aws::{AwsOptions, OperationGuard, RegionClients, region_clients};
use wiremock::matchers::{body_string_contains, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const REGION: &str = "eu-central-1";
/// The BGP auth keys inside the Direct Connect fixtures.
/// The secrets in the Direct Connect fixtures: the BGP keys of `dxvif-fxsecret1` and the MACsec
/// CKNs of `dxcon-fx0a1b2c` and `dxlag-fxabcdef`.
pub const SECRETS: [&str; 4] = [
    "FIXTURE-SECRET-0xA1B2C3",
    "FIXTURE-SECRET-V6-9Z",
    "FIXTURE-SECRET-CKN-0a1b2c3d4e5f",
    "FIXTURE-SECRET-CKN-LAG-99887766",
];

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn json_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/x-amz-json-1.1")
}

/// An AWS JSON error response.
pub fn aws_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        "application/x-amz-json-1.1",
    )
}

/// Starts a fixture server serving every file under `tests/fixtures/<service>/`, where
/// `<Op>.json` answers `<prefix>.<Op>` and `<Op>.page-2.json` answers a request whose body
/// carries `page-2` as its next token. `overrides` replace operations' answers.
pub async fn fixture_server(overrides: &[(&str, ResponseTemplate)]) -> MockServer {
    let server = MockServer::start().await;
    for (dir, prefix) in [
        ("directconnect", "OvertureService"),
        ("route53resolver", "Route53Resolver"),
    ] {
        for entry in std::fs::read_dir(fixtures_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_str().unwrap().to_string();
            let body = std::fs::read_to_string(&path).unwrap();
            let (op, page2) = match file.strip_suffix(".page-2.json") {
                Some(op) => (op.to_string(), true),
                None => (file.trim_end_matches(".json").to_string(), false),
            };
            let target = format!("{prefix}.{op}");
            if let Some((_, resp)) = overrides.iter().find(|(o, _)| *o == op) {
                Mock::given(method("POST"))
                    .and(header("x-amz-target", target.as_str()))
                    .respond_with(resp.clone())
                    .with_priority(1)
                    .mount(&server)
                    .await;
                continue;
            }
            let m = Mock::given(method("POST")).and(header("x-amz-target", target.as_str()));
            if page2 {
                m.and(body_string_contains("page-2"))
                    .respond_with(json_response(body))
                    .with_priority(2)
                    .mount(&server)
                    .await;
            } else {
                m.respond_with(json_response(body))
                    .with_priority(3)
                    .mount(&server)
                    .await;
            }
        }
    }
    // Route 53 Profiles (restJson1): GET by path.
    for (op, path) in [
        ("ListProfiles", "^/profiles$"),
        ("ListProfileAssociations", "^/profileassociations$"),
        (
            "ListProfileResourceAssociations",
            "^/profileresourceassociations/profileid/[^/]+$",
        ),
    ] {
        let answer = match overrides.iter().find(|(o, _)| *o == op) {
            Some((_, resp)) => resp.clone(),
            None => ResponseTemplate::new(200).set_body_raw(
                std::fs::read_to_string(fixtures_dir().join(format!("route53profiles/{op}.json")))
                    .unwrap(),
                "application/json",
            ),
        };
        Mock::given(method("GET"))
            .and(wiremock::matchers::path_regex(path))
            .respond_with(answer)
            .with_priority(3)
            .mount(&server)
            .await;
    }
    // Anything else (EC2 query calls, unknown targets): a clear AWS error.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            "<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>not in the fixtures</Message></Error></Errors><RequestID>fixture</RequestID></Response>",
            "text/xml",
        ))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// Options pointing each service at its endpoint, with static test credentials.
pub fn options(dx: &str, ec2: &str, resolver: &str) -> AwsOptions {
    AwsOptions {
        dx_endpoint_url: Some(dx.into()),
        ec2_endpoint_url: Some(ec2.into()),
        resolver_endpoint_url: Some(resolver.into()),
        credentials: Some(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        )),
        ..Default::default()
    }
}

/// Clients of `region` for the given endpoints.
pub async fn clients(
    region: &str,
    dx: &str,
    ec2: &str,
    resolver: &str,
    guard: &OperationGuard,
) -> RegionClients {
    region_clients(
        &options(dx, ec2, resolver),
        "",
        region,
        guard,
        &crossconnect::aws::engine::Limits::default(),
    )
    .await
}

/// Clients of [`REGION`] sending every service to one endpoint (a fixture server).
pub async fn clients_at(uri: &str, guard: &OperationGuard) -> RegionClients {
    clients(REGION, uri, uri, uri, guard).await
}

/// The moto server's URL (`MOTO_URL`, set by `.ci/run`). In CI a missing moto is a failure;
/// elsewhere the moto tests are skipped with a note.
pub fn moto_url() -> Option<String> {
    match std::env::var("MOTO_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                panic!("MOTO_URL is not set: run the tests with ./.ci/run, which starts moto");
            }
            eprintln!("MOTO_URL not set: skipping the moto test (./.ci/run starts moto)");
            None
        }
    }
}

/// X-Amz-Target (JSON services) or `Action=` (EC2 query) of every request the server got.
pub async fn received_operations(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            // restJson1 (Route 53 Profiles): the operation is the method and path.
            let path = r.url.path();
            if r.method == wiremock::http::Method::GET {
                let op = if path.starts_with("/profileresourceassociations/") {
                    "ListProfileResourceAssociations"
                } else if path == "/profileassociations" {
                    "ListProfileAssociations"
                } else if path == "/profiles" {
                    "ListProfiles"
                } else {
                    return format!("GET {path}");
                };
                return format!("Route53Profiles.{op}");
            }
            r.headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    let body = String::from_utf8_lossy(&r.body);
                    body.split('&')
                        .find_map(|kv| kv.strip_prefix("Action="))
                        .unwrap_or("?")
                        .to_string()
                })
        })
        .collect()
}

/// Write-capable clients of `region` at moto (setup of a test's estate).
pub async fn moto_admin(region: &str, moto: &str) -> RegionClients {
    let guard = OperationGuard {
        allow_writes: true,
        ..Default::default()
    };
    clients(region, moto, moto, moto, &guard).await
}

/// Creates a transit gateway; returns its id.
pub async fn create_tgw(c: &aws_sdk_ec2::Client) -> String {
    c.create_transit_gateway()
        .send()
        .await
        .unwrap()
        .transit_gateway()
        .unwrap()
        .transit_gateway_id()
        .unwrap()
        .to_string()
}

/// Creates a VPC (setup through a write-capable client); returns its id.
pub async fn create_vpc(c: &aws_sdk_ec2::Client, cidr: &str) -> String {
    c.create_vpc()
        .cidr_block(cidr)
        .send()
        .await
        .unwrap()
        .vpc()
        .unwrap()
        .vpc_id()
        .unwrap()
        .to_string()
}

/// Two VPCs of `/16`s `a` and `b` (`10.N.0.0/16`), each with a `/24` subnet, and an accepted
/// peering between them with no route over it yet: (a, b, pcx).
pub async fn peered_vpcs(c: &aws_sdk_ec2::Client, a: u8, b: u8) -> (String, String, String) {
    let va = create_vpc(c, &format!("10.{a}.0.0/16")).await;
    create_subnet(c, &va, &format!("10.{a}.1.0/24"), "eu-central-1a").await;
    let vb = create_vpc(c, &format!("10.{b}.0.0/16")).await;
    create_subnet(c, &vb, &format!("10.{b}.1.0/24"), "eu-central-1a").await;
    let pcx = create_peering(c, &va, &vb).await;
    c.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    (va, vb, pcx)
}

/// A route to `cidr` over peering `pcx` in `vpc`'s main route table.
pub async fn route_over_peering(c: &aws_sdk_ec2::Client, vpc: &str, cidr: &str, pcx: &str) {
    c.create_route()
        .route_table_id(crate::graph::main_table(c, vpc).await)
        .destination_cidr_block(cidr)
        .vpc_peering_connection_id(pcx)
        .send()
        .await
        .unwrap();
}

/// `DIR/intents.toml` declaring one intent, "a reaches b": VPC `a` reaches VPC `b` (both ways).
pub fn a_reaches_b(dir: &std::path::Path, a: &str, b: &str) -> std::path::PathBuf {
    let path = dir.join("intents.toml");
    let text =
        format!("[[intent]]\nname = \"a reaches b\"\nfrom = \"vpc:{a}\"\nto = \"vpc:{b}\"\n");
    std::fs::write(&path, text).unwrap();
    path
}

/// Requests a VPC peering from `vpc` to `peer` (pending acceptance); returns its `pcx-` id.
pub async fn create_peering(c: &aws_sdk_ec2::Client, vpc: &str, peer: &str) -> String {
    create_peering_to(c, vpc, peer, None).await
}

/// Requests a VPC peering to `peer` in account `owner` (`PeerOwnerId`; `None`: the same
/// account); returns its `pcx-` id.
pub async fn create_peering_to(
    c: &aws_sdk_ec2::Client,
    vpc: &str,
    peer: &str,
    owner: Option<&str>,
) -> String {
    c.create_vpc_peering_connection()
        .vpc_id(vpc)
        .peer_vpc_id(peer)
        .set_peer_owner_id(owner.map(str::to_string))
        .send()
        .await
        .unwrap()
        .vpc_peering_connection()
        .unwrap()
        .vpc_peering_connection_id()
        .unwrap()
        .to_string()
}

/// Creates a subnet in an AZ; returns its id.
pub async fn create_subnet(c: &aws_sdk_ec2::Client, vpc: &str, cidr: &str, az: &str) -> String {
    c.create_subnet()
        .vpc_id(vpc)
        .cidr_block(cidr)
        .availability_zone(az)
        .send()
        .await
        .unwrap()
        .subnet()
        .unwrap()
        .subnet_id()
        .unwrap()
        .to_string()
}

/// One GET over plain HTTP/1.0: the status code and the body; `None` when nothing answers.
pub fn http_get(addr: &str, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut all = String::new();
    s.read_to_string(&mut all).ok()?;
    let (head, body) = all.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// Attaches `vpc` (through `subnet`) to `tgw`; returns the attachment id.
pub async fn vpc_attachment(
    ec2: &aws_sdk_ec2::Client,
    tgw: &str,
    vpc: &str,
    subnet: &str,
) -> String {
    ec2.create_transit_gateway_vpc_attachment()
        .transit_gateway_id(tgw)
        .vpc_id(vpc)
        .subnet_ids(subnet)
        .send()
        .await
        .unwrap()
        .transit_gateway_vpc_attachment()
        .unwrap()
        .transit_gateway_attachment_id()
        .unwrap()
        .to_string()
}
