//! The smallest useful plugin: one text file per model listing its fields, in worker mode. Used
//! by `ci/bench-plugins.sh` to time what forge's plugin host costs per request (it does almost no
//! work of its own). Run it as `cargo run --example hello -p forge-plugin -- --forge-describe`.

use forge_plugin::{Lines, Output, Plugin, Request, ScopeKind};

fn main() -> std::process::ExitCode {
    let mut plugin = Plugin::new("hello", "1.0.0", ScopeKind::Model);
    // `HELLO_ONE_SHOT=1` describes no worker capability, so forge starts one process per request.
    if std::env::var_os("HELLO_ONE_SHOT").is_none() {
        plugin = plugin.worker();
    }
    plugin.run(|request: &Request| -> Result<Output, String> {
        let model = request.model()?;
        let mut text = Lines::new();
        text.line(format!("{} (table {})", model.name, model.table))
            .model(&model.name);
        for field in &model.fields {
            text.line(format!("- {}", field.name))
                .model(&model.name)
                .field(&field.name);
        }
        let mut output = Output::new();
        output.file(format!("{}.txt", model.table), text);
        Ok(output)
    })
}
