//! `annals curate …`: the historians' decisions, each with a reason, into the audit log.

use super::OutFormat;
use anyhow::Result;
use clap::Subcommand;

/// What every decision takes.
#[derive(clap::Args)]
pub struct DecisionArgs {
    /// Why (required).
    #[arg(long)]
    reason: Option<String>,
    /// Who decides (default: $USER).
    #[arg(long, env = "USER")]
    who: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutFormat,
}

#[derive(Subcommand)]
pub enum CurateCommand {
    /// The fact or event is right. TARGET: a fact id, DOC@START-END[:KIND[:TYPE]] (the
    /// export's spans), or an event id (ev-..., `annals timeline --format json`).
    Confirm {
        target: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// The fact or event is wrong: it is no longer used (answers, timeline) but stays in the
    /// export, marked.
    Reject {
        target: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// Give a field another value. Facts: date, entity, or a record field (value, unit,
    /// value_start...); events: date, date_start, date_end, type, field, participants,
    /// place, summary. VALUE: text, or JSON (2.5, ["A","B"]); dates as 1978-11-03 or
    /// 1975/1991; participants as "A, B".
    Edit {
        target: String,
        #[arg(long)]
        field: String,
        #[arg(long)]
        value: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// The events --with are the same event as EVENT: one event with every statement.
    Merge {
        event: String,
        #[arg(long = "with", required = true)]
        with: Vec<String>,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// A statement of EVENT (its fact id or DOC@START-END) is an event of its own.
    Split {
        event: String,
        #[arg(long)]
        statement: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// Undo an earlier decision (its audit id: 7 or #7); recorded as a new entry.
    Retract {
        entry: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
}

/// Records the decision and prints its audit entry.
pub fn run(data: &std::path::Path, cmd: CurateCommand) -> Result<()> {
    use annals::curation::{Action, NewDecision, TargetRef};
    let (action, target, field, value, with, statement, d) = match cmd {
        CurateCommand::Confirm { target, d } => {
            (Action::Confirm, target, None, None, vec![], None, d)
        }
        CurateCommand::Reject { target, d } => {
            (Action::Reject, target, None, None, vec![], None, d)
        }
        CurateCommand::Edit {
            target,
            field,
            value,
            d,
        } => (
            Action::Edit,
            target,
            Some(field),
            Some(annals::curation::cli_value(&value)),
            vec![],
            None,
            d,
        ),
        CurateCommand::Merge { event, with, d } => {
            (Action::Merge, event, None, None, with, None, d)
        }
        CurateCommand::Split {
            event,
            statement,
            d,
        } => (Action::Split, event, None, None, vec![], Some(statement), d),
        CurateCommand::Retract { entry, d } => (
            Action::Retract,
            TargetRef::audit(&entry)?.to_string(),
            None,
            None,
            vec![],
            None,
            d,
        ),
    };
    let decision = NewDecision {
        action,
        target: target.parse()?,
        field,
        value,
        with,
        statement: statement.map(|s| s.parse()).transpose()?,
        reason: d.reason.unwrap_or_default(),
        who: d.who.unwrap_or_default(),
        request_id: None,
    };
    let mut archive = super::open(data)?;
    let entry = annals::curation::decide(archive.store.as_mut(), decision)?;
    match d.format {
        OutFormat::Json => println!("{}", serde_json::to_string_pretty(&entry)?),
        OutFormat::Text => println!("{}", annals::terminal::printable(&entry.line())),
    }
    Ok(())
}
