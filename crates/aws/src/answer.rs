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
            parts: Vec::new(),
        });
        Ok(())
    }
}

/// A response body that is checked for completeness when it ends. Its frames are kept as they
/// came (shared, not copied) and joined only when a JSON answer spans several.
struct CheckedBody {
    inner: SdkBody,
    parts: Vec<Bytes>,
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
                if let Some(d) = frame.data_ref().filter(|d| !d.is_empty()) {
                    this.parts.push(d.clone());
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => match check_parts(&this.parts) {
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

/// [`check`] of a body that came in these parts: an XML answer is checked from its first and
/// last bytes only; a JSON one is joined when it came in more than one part.
fn check_parts(parts: &[Bytes]) -> Result<(), Truncated> {
    match parts {
        [] => Ok(()),
        [one] => check(one),
        _ if first_byte(&parts[0]) == Some(b'<') => {
            let len: usize = parts.iter().map(Bytes::len).sum();
            let head = join_while(parts.iter(), HEAD, false);
            let tail = join_while(parts.iter().rev(), HEAD, true);
            // A root not found in the first bytes (a long prologue) is looked for in the whole.
            check_xml(&head, &tail, len).or_else(|_| check(&parts.concat()))
        }
        _ => check(&parts.concat()),
    }
}

/// How much of each end of an XML answer is read: its root element's name and closing tag.
const HEAD: usize = 4096;

/// At least `n` bytes of the parts, in order (from the end when `rev`).
fn join_while<'a>(parts: impl Iterator<Item = &'a Bytes>, n: usize, rev: bool) -> Vec<u8> {
    let mut got: Vec<&Bytes> = Vec::new();
    let mut len = 0;
    for p in parts {
        got.push(p);
        len += p.len();
        if len >= n {
            break;
        }
    }
    if rev {
        got.reverse();
    }
    got.into_iter().flat_map(|b| b.iter().copied()).collect()
}

fn first_byte(b: &[u8]) -> Option<u8> {
    let b = b.strip_prefix("\u{feff}".as_bytes()).unwrap_or(b);
    b.iter().copied().find(|c| !c.is_ascii_whitespace())
}

/// Checks a whole 2xx body: an XML document must close its root element, a JSON document must
/// parse to its end. Registers the `authKey` values of a JSON answer. Other bodies (an empty
/// one, a PDF) pass.
pub fn check(body: &[u8]) -> Result<(), Truncated> {
    match first_byte(body) {
        Some(b'<') => {
            let head = &body[..body.len().min(HEAD)];
            // A root not found in the first bytes (a long prologue) is looked for in the whole.
            check_xml(head, body, body.len()).or_else(|e| match body.len() > HEAD {
                true => check_xml(body, body, body.len()),
                false => Err(e),
            })
        }
        Some(b'{') | Some(b'[') => {
            let text = match std::str::from_utf8(body) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(body),
            };
            let t = text.trim_start_matches('\u{feff}');
            // A tree is built only when a key may be in it; otherwise the document is only
            // checked.
            if t.contains("uthKey") {
                match serde_json::from_str::<serde_json::Value>(t) {
                    Ok(v) => {
                        register_keys(&v);
                        Ok(())
                    }
                    Err(e) => Err(incomplete(&e, body.len())),
                }
            } else {
                serde_json::from_str::<serde::de::IgnoredAny>(t)
                    .map(|_| ())
                    .map_err(|e| incomplete(&e, body.len()))
            }
        }
        _ => Ok(()),
    }
}

fn incomplete(e: &serde_json::Error, len: usize) -> Truncated {
    Truncated(format!(
        "the JSON document is incomplete ({e}; {len} bytes)"
    ))
}

/// `head`: the document's first bytes (or all of it), `tail`: its last bytes (or all of it).
fn check_xml(head: &[u8], tail: &[u8], len: usize) -> Result<(), Truncated> {
    let head = String::from_utf8_lossy(head);
    // The root element: the first start tag that is not a declaration, comment or doctype.
    let mut rest = head.as_ref();
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
    let end = format!("</{root}>");
    if self_closed || tail.trim_ascii_end().ends_with(end.as_bytes()) {
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

    #[test]
    fn answers_in_parts_are_checked_as_a_whole() {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<DescribeRouteTablesResponse><routeTableSet>{}</routeTableSet></DescribeRouteTablesResponse>\n",
            "<item><routeTableId>rtb-1</routeTableId></item>".repeat(400)
        );
        let parts = |s: &str| -> Vec<Bytes> {
            s.as_bytes()
                .chunks(1000)
                .map(Bytes::copy_from_slice)
                .collect()
        };
        assert!(check_parts(&parts(&xml)).is_ok());
        let cut = &xml[..xml.len() - 60];
        let err = check_parts(&parts(cut)).unwrap_err().to_string();
        assert!(err.contains("<DescribeRouteTablesResponse>"), "{err}");
        // A prologue longer than the bytes read from the front is read whole.
        let long = format!("<!-- {} -->{xml}", "x".repeat(9000));
        assert!(check_parts(&parts(&long)).is_ok());
        let json = format!(
            r#"{{"virtualInterfaces":[{}{{"authKey":"s3cr3t-in-parts"}}]}}"#,
            r#"{"id":"dxvif-1"},"#.repeat(300)
        );
        assert!(check_parts(&parts(&json)).is_ok());
        assert!(crate::model::secret::scrub("key s3cr3t-in-parts", usize::MAX).contains("***"));
        assert!(check_parts(&parts(&json[..json.len() - 3])).is_err());
    }
}
