//! The command line's shape (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "forge",
    version,
    about = "A compiler for application backends, built like Bazel"
)]
pub struct Cli {
    /// The project folder (default: the nearest folder holding forge.kdl, from the current one up).
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project with a starter schema and forge.kdl.
    #[command(after_help = "Example:\n  forge init shop && cd shop && forge build")]
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Run the build graph: only what changed runs.
    #[command(
        after_help = "Examples:\n  forge build\n  forge build --json -j 2\n  forge build --check   # in CI: exit 3 if an artifact on disk would change"
    )]
    Build(BuildArgs),
    /// Parse and validate only, printing every diagnostic at once.
    #[command(after_help = "Example:\n  forge check")]
    Check {
        /// Print the diagnostics as JSON on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Say where an artifact, or one line of it, came from.
    #[command(
        after_help = "Examples:\n  forge explain generated/sql/postgres/schema.sql\n  forge explain generated/sql/postgres/schema.sql:42 --why-rebuilt"
    )]
    Explain {
        /// The artifact's path, optionally with `:LINE`.
        artifact: String,
        /// Name the inputs that changed the last time its node ran.
        #[arg(long)]
        why_rebuilt: bool,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the build graph.
    #[command(
        after_help = "Examples:\n  forge graph\n  forge graph --format dot | dot -Tsvg > graph.svg"
    )]
    Graph {
        #[arg(long, value_enum, default_value_t = GraphFormatArg::Text)]
        format: GraphFormatArg,
    },
    /// Inspect or clean the local cache.
    #[command(
        subcommand,
        after_help = "Examples:\n  forge cache stats\n  forge cache gc"
    )]
    Cache(CacheCommand),
    /// Work with generator plugins.
    #[command(
        subcommand,
        after_help = "Example:\n  forge plugin test py-models   # run it twice; fail on any difference"
    )]
    Plugin(PluginCommand),
    /// Plan and write migrations from the schema (`target migrations` in forge.kdl).
    #[command(
        subcommand,
        after_help = "Examples:\n  forge migrate plan                 # what would change, classified; writes nothing\n  forge migrate new add_orders       # writes migrations/0002_add_orders/\n  forge migrate apply --db postgres://app@localhost/shop\n  forge migrate status --db sqlite://dev.db   # exit 3 while migrations are pending"
    )]
    Migrate(MigrateCommand),
    /// Compare a live database with the declared schema: exit 0 none, 3 drift, 1 error.
    #[command(
        after_help = "Examples:\n  forge drift --db postgres://app@db.internal/shop\n  forge drift --db sqlite://dev.db --json\n  forge drift --db postgres://reader@prod/shop --scratch postgres://postgres@localhost/postgres"
    )]
    Drift {
        /// The database: postgres://..., mysql://..., sqlite:///abs/path.db or
        /// sqlite://relative.db. It is only read.
        #[arg(long, value_name = "URL")]
        db: String,
        /// A server (same dialect and version) on which forge may create a scratch database to
        /// build the declared schema in; default: the database's own server.
        #[arg(long, value_name = "URL")]
        scratch: Option<String>,
        /// Print the differences as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a built-in generator as a plugin process (the protocol of docs/plugins.md).
    #[command(
        subcommand,
        after_help = "Examples:\n  forge generator run sql/postgres < request.json\n  forge generator run rls --forge-describe"
    )]
    Generator(GeneratorCommand),
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Run a generator twice over the whole project, with fresh processes and no cache, and
    /// fail on any byte difference, invalid answer, or path it may not write.
    Test {
        /// The generator's name in forge.kdl.
        generator: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Show the operations the next migration needs, classified; write nothing.
    Plan {
        /// Plan destructive operations as drops (without it, they keep the data).
        #[arg(long)]
        allow_destructive: bool,
        /// Print the plan as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the next migration folder and the new snapshot.
    New {
        /// The migration's name: `add_orders` gives `0002_add_orders`.
        name: String,
        /// Plan destructive operations as drops (without it, they keep the data).
        #[arg(long)]
        allow_destructive: bool,
    },
    /// Run the pending migrations on a database, recording them in `_forge_migrations`.
    Apply {
        /// postgres://..., mysql://... (or mariadb://...), sqlite:///abs/path.db or
        /// sqlite://relative.db (created when missing).
        #[arg(long, value_name = "URL")]
        db: String,
        /// Print what was applied as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Say which migrations a database has applied; exit 3 when it is not up to date.
    Status {
        /// The database's URL, as for `apply`.
        #[arg(long, value_name = "URL")]
        db: String,
        /// Print the states as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GeneratorCommand {
    /// Read one request on standard input and print the response; with `--forge-describe`,
    /// print the describe answer.
    Run {
        /// sql/postgres, sql/sqlite, sql/mysql or rls.
        name: String,
        /// Print what the generator is instead of running it.
        #[arg(long = "forge-describe")]
        describe: bool,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Write nothing; exit 3 if any artifact on disk would change.
    #[arg(long)]
    pub check: bool,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Keep building what does not depend on a failed node.
    #[arg(long)]
    pub keep_going: bool,
    /// Print a JSON summary on standard output.
    #[arg(long)]
    pub json: bool,
    /// Print every node's cache key and what it is made of.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Counts and sizes.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Delete what the most recent builds cannot reach.
    Gc {
        /// How many recent builds to keep.
        #[arg(long, default_value_t = forge_engine::KEEP_BUILDS)]
        keep: usize,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormatArg {
    Text,
    Dot,
    Mermaid,
    Json,
}
