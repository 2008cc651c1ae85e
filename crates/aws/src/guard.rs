//! The SDK interceptor that makes read-only mode hold by construction.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Marks the error the guard raises, so it can be told apart from other failures.
pub const REFUSED_MARKER: &str = "crossconnect runs read-only";

/// Whether an AWS operation name is a read (Describe/List/Get/Search).
pub fn is_read_operation(operation: &str) -> bool {
    ["Describe", "List", "Get", "Search"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// Every operation a session started, as `service:Operation`, in order.
#[derive(Clone, Debug, Default)]
pub struct OperationLog(Arc<Mutex<Vec<String>>>);

impl OperationLog {
    pub fn push(&self, entry: String) {
        if let Ok(mut v) = self.0.lock() {
            v.push(entry);
        }
    }

    /// A copy of the entries so far.
    pub fn entries(&self) -> Vec<String> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

/// Records every operation and refuses mutating ones unless writes are allowed.
#[derive(Clone, Debug, Default)]
pub struct OperationGuard {
    pub allow_writes: bool,
    pub log: OperationLog,
}

impl OperationGuard {
    pub fn read_only() -> Self {
        OperationGuard::default()
    }
}

impl Intercept for OperationGuard {
    fn name(&self) -> &'static str {
        "crossconnect-operation-guard"
    }

    /// Runs once per operation, after the operation's config (with its [`Metadata`]) is in
    /// the bag and before the request is serialized, signed or sent.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_else(|| ("unknown".into(), "unknown".into()));
        self.log.push(format!("{service}:{operation}"));
        if !self.allow_writes && !is_read_operation(&operation) {
            tracing::warn!(%service, %operation, "refused a mutating call in read-only mode");
            return Err(format!(
                "{operation} refused: {REFUSED_MARKER} (start with --write to allow changes)"
            )
            .into());
        }
        Ok(())
    }
}
