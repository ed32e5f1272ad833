//! The plugin: what `--forge-describe` answers, built up with a few calls, and the entry points
//! that pick the mode from the command line and serve it.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use forge_schemas::{Describe, PROTOCOL_VERSION, ScopeKind, WORKER_CAPABILITY};
use serde_json::Value;

use crate::output::Output;
use crate::request::Request;
use crate::serve;

/// The argument with which forge asks a plugin to describe itself.
pub const DESCRIBE_FLAG: &str = "--forge-describe";
/// The argument with which forge starts a worker.
pub const WORKER_FLAG: &str = "--forge-worker";
/// The exit status of a plugin that failed: a request it cannot decode, input or output that
/// broke. forge reports the failure with the tail of standard error.
pub const EXIT_FAILURE: u8 = 1;
/// The exit status for a command line the plugin does not understand.
pub const EXIT_USAGE: u8 = 2;

/// A generator plugin: its describe answer, and the loop that serves requests.
#[derive(Clone, Debug, PartialEq)]
pub struct Plugin {
    describe: Describe,
}

/// What the command line asks for.
enum Mode {
    Once,
    Describe,
    Worker,
    Help,
}

impl Plugin {
    /// A plugin called `name` (its own name; forge.kdl may call it something else), at `version`
    /// (part of the cache key of every node it runs: bump it when its output changes), for
    /// `scope`. It accepts any options until [`Plugin::options_schema`] says otherwise.
    pub fn new(name: impl Into<String>, version: impl Into<String>, scope: ScopeKind) -> Self {
        Plugin {
            describe: Describe {
                protocol: PROTOCOL_VERSION,
                name: name.into(),
                version: version.into(),
                scope,
                options: Value::Object(Default::default()),
                capabilities: Vec::new(),
            },
        }
    }

    /// The JSON Schema of its options (forge.kdl's `options` block, as JSON), for its describe
    /// answer. Decoding them is [`Request::options`]' job.
    pub fn options_schema(mut self, schema: Value) -> Self {
        self.describe.options = schema;
        self
    }

    /// Lists the `worker` capability: forge then starts one process per build thread with
    /// `--forge-worker` and sends it many requests.
    pub fn worker(mut self) -> Self {
        if !self.describe.has_worker() {
            self.describe.capabilities.push(WORKER_CAPABILITY.into());
        }
        self
    }

    /// Its answer to `--forge-describe`.
    pub fn describe(&self) -> &Describe {
        &self.describe
    }

    /// Serves what the command line asks, on standard input and output: call it from `main`.
    pub fn run<F>(self, generate: F) -> ExitCode
    where
        F: FnMut(&Request) -> Result<Output, String>,
    {
        let args: Vec<String> = std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let code = self.serve(
            &args,
            std::io::stdin().lock(),
            std::io::stdout().lock(),
            std::io::stderr().lock(),
            generate,
        );
        ExitCode::from(code)
    }

    /// [`Plugin::run`] over any arguments (without the program's name), input and outputs; gives
    /// the exit status: 0, [`EXIT_FAILURE`] or [`EXIT_USAGE`].
    pub fn serve<A, I, O, E, F>(
        &self,
        args: &[A],
        input: I,
        output: O,
        mut errors: E,
        generate: F,
    ) -> u8
    where
        A: AsRef<str>,
        I: BufRead,
        O: Write,
        E: Write,
        F: FnMut(&Request) -> Result<Output, String>,
    {
        let mut output = BufWriter::new(output);
        let mode = match self.mode(args) {
            Ok(mode) => mode,
            Err(why) => {
                let _ = writeln!(errors, "{}: {why}\n\n{}", self.describe.name, self.usage());
                return EXIT_USAGE;
            }
        };
        let served = match mode {
            Mode::Describe => serve::describe(&self.describe, &mut output),
            Mode::Help => serve::text(&self.usage(), &mut output),
            Mode::Once => serve::once(input, &mut output, generate),
            Mode::Worker => serve::worker(input, &mut output, generate),
        };
        match served {
            Ok(()) => 0,
            Err(why) => {
                let _ = writeln!(errors, "{}: {why}", self.describe.name);
                EXIT_FAILURE
            }
        }
    }

    fn mode<A: AsRef<str>>(&self, args: &[A]) -> Result<Mode, String> {
        let mode = match args {
            [] => Mode::Once,
            [one] => match one.as_ref() {
                DESCRIBE_FLAG => Mode::Describe,
                WORKER_FLAG if self.describe.has_worker() => Mode::Worker,
                WORKER_FLAG => {
                    return Err(format!(
                        "`{WORKER_FLAG}`: this plugin does not serve worker mode"
                    ));
                }
                "-h" | "--help" => Mode::Help,
                other => return Err(format!("unknown argument `{other}`")),
            },
            _ => return Err(format!("expected at most one argument, got {}", args.len())),
        };
        Ok(mode)
    }

    fn usage(&self) -> String {
        let d = &self.describe;
        let mut text = format!(
            "{} {}: a forge generator plugin (protocol {}, {} scope). forge runs it; see \
             docs/plugins.md.\n\nUsage:\n  \
             {} {DESCRIBE_FLAG}  print what it is, as JSON\n  \
             {}                   read one request on standard input, print one response\n",
            d.name,
            d.version,
            d.protocol,
            d.scope.as_str(),
            d.name,
            d.name,
        );
        if d.has_worker() {
            text.push_str(&format!(
                "  {} {WORKER_FLAG}    read one request per line, answer each on its own line\n",
                d.name
            ));
        }
        text
    }
}
