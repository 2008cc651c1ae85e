//! The field of a resource a history event is about: the resource itself (`exists`), or a
//! path into the resource as the snapshot writes it (`state`, `bgp_peers[dxpeer-1].bgp_status`,
//! `requester.owner_id`), list items keyed by their `id`.

/// One step of a [`Field`] path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// An object's key (`state`, `bgp_peers`).
    Key(String),
    /// A list item, by its `id` (`[dxpeer-1]`).
    Item(String),
}

/// What changed in a resource.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The resource appeared or disappeared.
    Exists,
    /// A value inside it.
    Path(Vec<Step>),
}

impl Field {
    /// Parses the dotted text (`exists`, `state`, `bgp_peers[dxpeer-1].bgp_status`).
    pub fn parse(s: &str) -> Field {
        if s == "exists" {
            return Field::Exists;
        }
        let mut steps = vec![];
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']').unwrap_or(r.len());
                steps.push(Step::Item(r[..end].to_string()));
                rest = r.get(end + 1..).unwrap_or("");
            } else {
                let r = rest.strip_prefix('.').unwrap_or(rest);
                let end = r.find(['.', '[']).unwrap_or(r.len());
                steps.push(Step::Key(r[..end].to_string()));
                rest = &r[end..];
            }
        }
        Field::Path(steps)
    }

    /// A top-level key (`state`).
    pub fn key(k: &str) -> Field {
        Field::Path(vec![Step::Key(k.to_string())])
    }

    /// `bgp_peers[<peer>].bgp_status`: the BGP session of one peer of a VIF.
    pub fn bgp_status(peer: &str) -> Field {
        Field::Path(vec![
            Step::Key("bgp_peers".into()),
            Step::Item(peer.into()),
            Step::Key("bgp_status".into()),
        ])
    }

    /// Whether it is the appearance or disappearance of the resource.
    pub fn is_exists(&self) -> bool {
        *self == Field::Exists
    }

    /// Whether it is the top-level key `k`.
    pub fn is(&self, k: &str) -> bool {
        matches!(self, Field::Path(s) if matches!(s.as_slice(), [Step::Key(x)] if x == k))
    }

    /// The peer whose BGP session this is, for `bgp_peers[<peer>].bgp_status`.
    pub fn bgp_peer(&self) -> Option<&str> {
        match self {
            Field::Path(s) => match s.as_slice() {
                [Step::Key(a), Step::Item(p), Step::Key(b)]
                    if a == "bgp_peers" && b == "bgp_status" =>
                {
                    Some(p)
                }
                _ => None,
            },
            Field::Exists => None,
        }
    }

    /// Whether the dotted text ends with `suffix`.
    pub fn ends_with(&self, suffix: &str) -> bool {
        self.to_string().ends_with(suffix)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps = match self {
            Field::Exists => return f.pad("exists"),
            Field::Path(s) => s,
        };
        let mut out = String::new();
        for s in steps {
            match s {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Item(i) => {
                    out.push('[');
                    out.push_str(i);
                    out.push(']');
                }
            }
        }
        f.pad(&out)
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Field {
        Field::parse(s)
    }
}

impl From<&Field> for Field {
    fn from(f: &Field) -> Field {
        f.clone()
    }
}

impl From<String> for Field {
    fn from(s: String) -> Field {
        Field::parse(&s)
    }
}

/// Compares the dotted text.
impl PartialEq<&str> for Field {
    fn eq(&self, other: &&str) -> bool {
        *self == Field::parse(other)
    }
}

impl serde::Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_back_as_written() {
        for s in [
            "exists",
            "state",
            "bgp_peers[dxpeer-1].bgp_status",
            "requester.owner_id",
        ] {
            assert_eq!(Field::parse(s).to_string(), s);
        }
        let f = Field::parse("bgp_peers[dxpeer-1].bgp_status");
        assert_eq!(f, Field::bgp_status("dxpeer-1"));
        assert_eq!(f.bgp_peer(), Some("dxpeer-1"));
        assert!(Field::parse("state").is("state") && !f.is("state"));
        assert!(Field::parse("exists").is_exists());
        assert_eq!(Field::parse("requester.owner_id").bgp_peer(), None);
    }
}
