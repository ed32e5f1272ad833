//! `forge graph`.

use forge_engine::{GraphFormat, Project};

use crate::cli::GraphFormatArg;
use crate::exit;
use crate::output::print_problems;

pub fn run(project: &Project, format: GraphFormatArg) -> anyhow::Result<u8> {
    let format = match format {
        GraphFormatArg::Text => GraphFormat::Text,
        GraphFormatArg::Dot => GraphFormat::Dot,
        GraphFormatArg::Mermaid => GraphFormat::Mermaid,
        GraphFormatArg::Json => GraphFormat::Json,
    };
    match forge_engine::full_graph(project)? {
        Ok(graph) => {
            print!("{}", graph.render(format));
            Ok(0)
        }
        Err(outcome) => {
            print_problems(&outcome);
            Ok(exit::FAILED)
        }
    }
}
