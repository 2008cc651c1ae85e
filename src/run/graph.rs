//! `path`, `impact` and `topology`: one poll, then the connectivity graph.

use color_eyre::eyre::{Result, eyre};

use crate::cli::GlobalArgs;
use crate::cli::{AccountsFormat, PathFormat, TopologyFormat};
use crate::graph::{self, Graph, Index};
use crate::model::Estate;

/// Polls once; refuses when nothing could be read. Calls that failed are printed to stderr as
/// coverage gaps (what they leave unknown is `unknown` in the answer, not healthy).
async fn read(g: &GlobalArgs) -> Result<Estate> {
    let (estate, _) = super::poll_estate(g).await?;
    super::refuse_unread(&estate, "nothing could be read")?;
    super::print_gaps(&estate);
    Ok(estate)
}

/// `crossconnect path --from SRC --to DST`.
pub async fn path(g: &GlobalArgs, from: &str, to: &str, format: PathFormat) -> Result<i32> {
    let estate = read(g).await?;
    let ix = Index::new(&estate);
    let t = graph::path::trace(&ix, from, to).map_err(|e| eyre!(e))?;
    match format {
        PathFormat::Text => print!("{}", t.text()),
        PathFormat::Json => println!("{}", serde_json::to_string_pretty(&t)?),
        PathFormat::Dot => print!("{}", t.dot()),
    }
    Ok(0)
}

/// `crossconnect impact ID`.
pub async fn impact(g: &GlobalArgs, id: &str, format: AccountsFormat) -> Result<i32> {
    let estate = read(g).await?;
    let ix = Index::new(&estate);
    let i = graph::impact::impact(&ix, id).map_err(|e| eyre!(e))?;
    match format {
        AccountsFormat::Text => print!("{}", i.text()),
        AccountsFormat::Json => println!("{}", serde_json::to_string_pretty(&i)?),
    }
    Ok(0)
}

/// `crossconnect topology`.
pub async fn topology(g: &GlobalArgs, format: TopologyFormat) -> Result<i32> {
    let estate = read(g).await?;
    let ix = Index::new(&estate);
    let gr = Graph::build(&ix);
    match format {
        TopologyFormat::Dot => print!("{}", gr.dot()),
        TopologyFormat::Mermaid => print!("{}", gr.mermaid()),
        TopologyFormat::Json => println!("{}", serde_json::to_string_pretty(&gr)?),
        TopologyFormat::Text => {
            for line in graph::tree_lines(&graph::topology(&ix, &gr)) {
                println!("{line}");
            }
        }
    }
    Ok(0)
}
