//! The SDK clients of the accounts of a session, made one account at a time as each becomes
//! readable (a profile once checked, an organisation's account once its role is assumed).

use std::collections::HashMap;

use aws_types::SdkConfig;

use crate::accounts::Reach;
use crate::{AwsOptions, OperationGuard, RegionClients, clients_from, engine, load_config};

/// Makes the clients of every region of an account, all with one guard and one set of
/// in-flight bounds. Each profile's configuration (profile files, credentials chain) is loaded
/// once; an organisation's accounts take their caller's with their role's credentials.
pub struct ClientMaker {
    pub regions: Vec<String>,
    pub guard: OperationGuard,
    pub limits: engine::Limits,
    /// The loaded configuration of each caller profile (`None`: the default chain).
    callers: tokio::sync::Mutex<HashMap<Option<String>, SdkConfig>>,
}

impl ClientMaker {
    pub fn new(regions: Vec<String>, guard: OperationGuard, limits: engine::Limits) -> ClientMaker {
        ClientMaker {
            regions,
            guard,
            limits,
            callers: Default::default(),
        }
    }

    /// The clients of every region of one account; none when it cannot be read.
    pub async fn clients(&self, reach: &Reach) -> Vec<RegionClients> {
        let Some(opts) = &reach.opts else {
            return Vec::new();
        };
        let region = self.regions.first().map(String::as_str);
        let opts = AwsOptions {
            allow_writes: self.guard.allow_writes,
            ..opts.clone()
        };
        let cfg = match &opts.provider {
            Some(p) => {
                let mut callers = self.callers.lock().await;
                let caller = match callers.get(&opts.profile) {
                    Some(c) => c.clone(),
                    None => {
                        let caller = AwsOptions {
                            provider: None,
                            ..opts.clone()
                        };
                        let c = load_config(&caller, region).await;
                        callers.insert(opts.profile.clone(), c.clone());
                        c
                    }
                };
                caller.to_builder().credentials_provider(p.clone()).build()
            }
            None => load_config(&opts, region).await,
        };
        let account = reach.account.id.as_str();
        self.regions
            .iter()
            .map(|r| clients_from(&cfg, &opts, account, r, &self.guard, &self.limits))
            .collect()
    }

    /// The clients of every region of every account that can be read, in order.
    pub async fn all(&self, reaches: &[Reach]) -> Vec<RegionClients> {
        let each = reaches.iter().map(|r| self.clients(r));
        let all = futures_util::future::join_all(each).await;
        all.into_iter().flatten().collect()
    }
}
