//! LOA-CFA downloads (DescribeLoa).

use super::form::{Field, Form};
use super::validate::Checked;
use super::*;

/// The loa family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, t) = (c.kind, c.t);
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
        let (kind, form) = (c.kind, c.form);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            Loa => {
                let path = form.get("path").trim().to_string();
                if path.is_empty() {
                    return field_err(form, "path", "a file path is required");
                }
                let id = row_id();
                plan(DxCall::DescribeLoa {
                    connection_id: id,
                    path,
                })
            }
            other => unreachable!("{other:?} is not a loa workflow"),
        })
    }
}
