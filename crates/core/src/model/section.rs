//! One read of one resource kind in one region: its items, when it was read, its error.

use super::*;

/// The items of one resource kind in one region, with when they were last read and the
/// error of the last attempt, if it failed.
#[derive(Clone, Debug, Serialize)]
pub struct Section<T> {
    pub items: Vec<T>,
    /// When the items were last read successfully; `None` until the first success.
    pub refreshed_at: Option<Timestamp>,
    /// The error of the most recent attempt; cleared by the next success.
    pub error: Option<ApiError>,
    /// Ids of items that are new or changed in the most recent successful read
    /// (empty after the very first read).
    #[serde(skip)]
    pub changed: HashSet<String>,
}

impl<T> Default for Section<T> {
    fn default() -> Self {
        Section {
            items: Vec::new(),
            refreshed_at: None,
            error: None,
            changed: HashSet::new(),
        }
    }
}

impl<T: Resource + PartialEq + Serialize> Section<T> {
    /// Replaces the items with a fresh read, recording which ids are new or changed; with
    /// `describe`, also returns the changes as JSON, disappearances included (a first read
    /// is the baseline: no changes).
    pub fn replace(&mut self, items: Vec<T>, at: Timestamp, describe: bool) -> Vec<ItemChange> {
        self.changed.clear();
        let mut out = Vec::new();
        if self.refreshed_at.is_some() {
            let json = |i: &T| serde_json::to_value(i).ok();
            let mut before: HashMap<String, &T> = self.items.iter().map(|i| (i.id(), i)).collect();
            for item in &items {
                let id = item.id();
                let old = before.remove(&id);
                if old.is_none_or(|old| old != item) {
                    if describe {
                        out.push(ItemChange {
                            id: id.clone(),
                            name: item.name().to_string(),
                            old: old.and_then(json),
                            new: json(item),
                        });
                    }
                    self.changed.insert(id);
                }
            }
            if describe {
                out.extend(before.into_iter().map(|(id, gone)| ItemChange {
                    id,
                    name: gone.name().to_string(),
                    old: json(gone),
                    new: None,
                }));
            }
        }
        self.items = items;
        self.refreshed_at = Some(at);
        self.error = None;
        out
    }
}

impl<T> Section<T> {
    /// Records a failed read; the last good items stay.
    pub fn fail(&mut self, error: ApiError) {
        self.changed.clear();
        self.error = Some(error);
    }

    pub fn status(&self) -> SectionStatus<'_> {
        SectionStatus {
            count: self.items.len(),
            refreshed_at: self.refreshed_at,
            error: self.error.as_ref(),
        }
    }
}

/// Item count, freshness and error of one section, independent of its item type.
#[derive(Clone, Copy, Debug)]
pub struct SectionStatus<'a> {
    pub count: usize,
    pub refreshed_at: Option<Timestamp>,
    pub error: Option<&'a ApiError>,
}
