//! The interceptor that refuses partial answers, and registers BGP key values before any
//! response body can be logged.
//!
//! A 2xx answer whose body stops half way (its Content-Length matching what arrived) parses
//! as a complete, shorter list: routes, peerings and VPCs would vanish and findings with them.
//! [`AnswerCheck`] wraps each successful response body; when the body ends it checks that an
//! XML document closes its root element and that a JSON document is complete. Otherwise the
//! read fails (`ResponseError: truncated answer …`), so the model keeps its last good data,
//! marked stale and errored. The same pass registers every `authKey` value of a JSON answer
//! ([`crate::model::secret::register`]) before the SDK logs the body.

use std::pin::Pin;
use std::task::{Context, Poll};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame};

/// Installed on every client next to the [`super::OperationGuard`].
#[derive(Clone, Debug, Default)]
pub struct AnswerCheck;

impl Intercept for AnswerCheck {
    fn name(&self) -> &'static str {
        "crossconnect-answer-check"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        if !response.status().is_success() {
            return Ok(());
        }
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        *response.body_mut() = SdkBody::from_body_1_x(CheckedBody {
            inner: body,
            buf: Vec::new(),
        });
        Ok(())
    }
}

/// A response body that is checked for completeness when it ends.
struct CheckedBody {
    inner: SdkBody,
    buf: Vec<u8>,
}

impl Body for CheckedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(d) = frame.data_ref() {
                    this.buf.extend_from_slice(d);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => match check(&this.buf) {
                Ok(()) => Poll::Ready(None),
                Err(why) => Poll::Ready(Some(Err(why.into()))),
            },
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Why an answer is incomplete.
#[derive(Debug)]
pub struct Truncated(pub String);

impl std::fmt::Display for Truncated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "truncated answer: {}", self.0)
    }
}

impl std::error::Error for Truncated {}

/// Checks a whole 2xx body: an XML document must close its root element, a JSON document must
/// parse to its end. Registers the `authKey` values of a JSON answer. Other bodies (an empty
/// one, a PDF) pass.
pub fn check(body: &[u8]) -> Result<(), Truncated> {
    let text = String::from_utf8_lossy(body);
    let t = text.trim_start_matches('\u{feff}').trim();
    match t.as_bytes().first() {
        Some(b'<') => check_xml(t, body.len()),
        // A tree is built only when a key may be in it; otherwise the document is only checked.
        Some(b'{') | Some(b'[') if t.contains("uthKey") => {
            match serde_json::from_str::<serde_json::Value>(t) {
                Ok(v) => {
                    register_keys(&v);
                    Ok(())
                }
                Err(e) => Err(incomplete(&e, body.len())),
            }
        }
        Some(b'{') | Some(b'[') => serde_json::from_str::<serde::de::IgnoredAny>(t)
            .map(|_| ())
            .map_err(|e| incomplete(&e, body.len())),
        _ => Ok(()),
    }
}

fn incomplete(e: &serde_json::Error, len: usize) -> Truncated {
    Truncated(format!(
        "the JSON document is incomplete ({e}; {len} bytes)"
    ))
}

fn check_xml(t: &str, len: usize) -> Result<(), Truncated> {
    // The root element: the first start tag that is not a declaration, comment or doctype.
    let mut rest = t;
    let root = loop {
        let Some(open) = rest.find('<') else {
            return Err(Truncated(format!("no root element in {len} bytes")));
        };
        rest = &rest[open + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        break name;
    };
    if root.is_empty() {
        return Err(Truncated(format!("no root element in {len} bytes")));
    }
    let self_closed = rest
        .find('>')
        .is_some_and(|gt| rest[..gt].ends_with('/') && !rest[gt + 1..].contains('<'));
    if self_closed || t.ends_with(&format!("</{root}>")) {
        Ok(())
    } else {
        Err(Truncated(format!(
            "the XML document does not close its root element <{root}> ({len} bytes)"
        )))
    }
}

fn register_keys(v: &serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if k.eq_ignore_ascii_case("authKey") || k.eq_ignore_ascii_case("bgpAuthKey") {
                    if let Some(s) = v.as_str() {
                        crate::model::secret::register(s);
                    }
                } else {
                    register_keys(v);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(register_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_answers_pass_and_cut_ones_fail() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>"#;
        assert!(check(xml.as_bytes()).is_ok());
        let cut = &xml[..xml.len() - 40];
        let err = check(cut.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("<DescribeVpcsResponse>"), "{err}");
        assert!(check(b"<Empty/>").is_ok());
        assert!(check(br#"{"connections":[{"connectionId":"dxcon-1"}]}"#).is_ok());
        assert!(check(br#"{"connections":[{"connectionId":"dxc"#).is_err());
        assert!(check(b"").is_ok());
        assert!(check(b"%PDF-1.4").is_ok());
    }
}
