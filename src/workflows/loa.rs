//! LOA-CFA downloads (DescribeLoa).

// The builders unpack the same context in every family; not every family uses all of it.
#![allow(unused_variables)]

use super::form::{Field, Form};
use super::validate::Checked;
use super::*;

/// The loa family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, e, t, r) = (c.kind, c.e, c.t, c.r);
        let vpcs = || c.vpcs();
        Ok(match kind {
            Loa => {
                let id = t.resource.as_ref().map(|x| x.1.clone()).unwrap_or_default();
                Form::new(vec![Field::text(
                    "path",
                    "Save to",
                    format!("{id}-loa.pdf"),
                    "PDF file to write",
                )])
            }
            other => unreachable!("{other:?} is not a loa workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, e, t, r, form, intent) = (c.kind, c.e, c.t, c.r, c.form, c.intent);
        let row_id = || c.row_id();
        let plan = |service, operation, params, call| c.plan(service, operation, params, call);
        Ok(match kind {
            Loa => {
                let path = form.get("path").trim().to_string();
                if path.is_empty() {
                    return field_err(form, "path", "a file path is required");
                }
                let id = row_id();
                plan(
                    "directconnect",
                    "DescribeLoa",
                    vec![
                        ("connectionId", id.clone()),
                        ("loaContentType", "application/pdf".into()),
                        ("saveTo", path.clone()),
                    ],
                    Call::DescribeLoa {
                        connection_id: id,
                        path,
                    },
                )
            }
            other => unreachable!("{other:?} is not a loa workflow"),
        })
    }
}
