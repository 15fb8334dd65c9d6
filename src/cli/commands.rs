//! The study-engine verbs: read files, call the use cases, print for people or scripts.

use super::{CliError, Command, EmailCommand, ImportCommand, ResultsFormat, StudyCommand, TemplateCommand};
use crate::config::Settings;
use crate::domain::round::RoundKind;
use crate::export::{chnri_csv, csv_cell, ranking_csv, results_csv, stability_csv};
use crate::service::outbox::{self, Waiting};
use crate::service::results::{ResultsTable, Scope};
use crate::service::stability::StabilityTable;
use crate::service::{
    accounts, chnri, demo, files, ranking, ratings, results, stability, studies, Actor, Connection, Store,
};

pub fn run(conn: &mut Connection, settings: &Settings, command: Command) -> Result<(), CliError> {
    let actor = Actor::cli();
    let links = settings.links();
    match command {
        Command::Serve { .. }
        | Command::Migrate
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Email(EmailCommand::DkimRecord { .. })
        | Command::Email(EmailCommand::Check { .. }) => {
            unreachable!("handled before opening a connection")
        }
        Command::Purge => super::ops::purge(conn, settings)?,
        Command::SetupLink => match accounts::setup_token(conn)? {
            Some(token) => println!("{}", super::setup_link(&settings.public_url(), &token)),
            None => {
                return Err(CliError::Usage(format!(
                    "Delphi already has a facilitator account, so there is no set-up link: sign in at \
                     {}/login, and ask an administrator to invite you (or use `delphi admin add`)",
                    settings.public_url().trim_end_matches('/')
                )))
            }
        },
        Command::Demo { answers } => {
            let (slug, fresh) = match demo::load(conn, &actor)? {
                demo::DemoOutcome::Created(created) => {
                    println!(
                        "Created the example study `{}` ({} items, {} experts).",
                        created.slug, created.items, created.experts
                    );
                    (created.slug, true)
                }
                demo::DemoOutcome::AlreadyThere(slug) => {
                    println!("The example study `{slug}` is already there; nothing changed.");
                    (slug, false)
                }
            };
            let answered = answers && fresh;
            if answered {
                let sample = demo::sample_rounds(conn, &slug, 1, &links, &actor)?;
                for closed in &sample.closed {
                    println!(
                        "Round {} answered with made-up scores and closed: {} consensus in, {} consensus out, {} no consensus.",
                        closed.number, closed.in_, closed.out, closed.none
                    );
                }
                if let Some(open) = sample.open {
                    println!("Round {open} is open: its invitations are in the outbox.");
                }
            } else if answers {
                println!("Sample answers are only added to a new example study; delete `{slug}` first to start again.");
            }
            print_next_steps(&slug, settings, answered);
        }
        Command::Study(StudyCommand::Create { file, owner }) => {
            let bundle = files::load_study(&file)?;
            let created = studies::create_owned(conn, &bundle, owner.as_deref(), &actor)?;
            println!("{}", created.slug);
        }
        Command::Study(StudyCommand::Grant { slug, email, role }) => {
            super::admin::grant(conn, &slug, &email, role, &actor)?
        }
        Command::Admin(command) => super::admin::admin(conn, command, &actor)?,
        Command::Token(command) => super::admin::token(conn, command, &actor)?,
        Command::Audit(command) => super::admin::audit(conn, command)?,
        Command::Bounce(command) => super::bounce::bounce(conn, settings, command)?,
        Command::Study(StudyCommand::List) => {
            for study in studies::list(conn)? {
                println!(
                    "{}\t{}\t{} round(s)\t{}",
                    study.slug, study.status, study.rounds, study.title
                );
            }
        }
        Command::Study(StudyCommand::Show { slug }) => print_overview(&studies::show(conn, &slug)?),
        Command::Items(ImportCommand::Import { slug, file }) => {
            let rows = files::read_items(&file)?;
            let summary = studies::import_items(conn, &slug, &file.display().to_string(), &rows, &actor)?;
            println!("items: {summary}");
        }
        Command::Panel(ImportCommand::Import { slug, file }) => {
            let rows = files::read_panel(&file)?;
            let summary = studies::import_panel(conn, &slug, &file.display().to_string(), &rows, &actor)?;
            println!("experts: {summary}");
        }
        Command::Responses(ImportCommand::Import { slug, file })
            if ranking::round_kind(conn, &slug, None)? == Some(RoundKind::Ranking) =>
        {
            let parsed = files::read_rankings(&file)?;
            let imported = ranking::import_rankings(conn, &slug, &parsed, &actor)?;
            println!(
                "ranking round {}: {} placed items saved, from {} experts",
                imported.round, imported.saved, imported.experts
            );
        }
        Command::Responses(ImportCommand::Import { slug, file }) => {
            let imported = if chnri::is_chnri(conn, &slug)? {
                let parsed = files::read_chnri_responses(&file)?;
                chnri::import_responses(conn, &slug, &parsed, &actor)?
            } else {
                let parsed = files::read_responses(&file)?;
                ratings::import_responses(conn, &slug, &parsed, &actor)?
            };
            println!(
                "round {}: {} answers saved, {} cleared, from {} experts",
                imported.round, imported.saved, imported.cleared, imported.experts
            );
        }
        Command::Round(command) => super::round::run(conn, command, &links, &actor)?,
        Command::Ideas(command) => super::ideas::run(conn, command, &actor)?,
        Command::Expert(command) => super::round::run_expert(conn, command, &actor)?,
        Command::Results {
            slug,
            round,
            format,
            stability: true,
            ..
        } => {
            let table = stability::stability(conn, &slug, round)?;
            print_results(format, &table, stability_csv::write, print_stability_table)?;
        }
        Command::Results {
            slug,
            round: Some(number),
            format,
            ..
        } if ranking::round_kind(conn, &slug, Some(number))? == Some(RoundKind::Ranking) => {
            let table = ranking::ranking_results(conn, &slug, number)?;
            let groups = &table.groups;
            print_results(
                format,
                &table,
                |t| ranking_csv::write(groups, std::slice::from_ref(t)),
                print_ranking_table,
            )?;
        }
        Command::Results {
            slug,
            round,
            format,
            by_group,
            ..
        } => {
            let scope = if by_group { Scope::ByGroup } else { Scope::Pooled };
            if chnri::is_chnri(conn, &slug)? {
                let table = chnri::results(conn, &slug, round, scope)?;
                let csv = |t: &chnri::ChnriTable| chnri_csv::write_results(t, by_group);
                print_results(format, &table, csv, |t| print_chnri_table(t, by_group))?;
            } else {
                let table = results::results_by_criterion(conn, &slug, round, scope)?;
                let csv = |t: &ResultsTable| results_csv::write(t, by_group);
                print_results(format, &table, csv, |t| print_results_table(t, by_group))?;
            }
        }
        Command::Export {
            slug,
            format,
            out,
            identified,
        } => super::export::run(conn, &slug, format, &out, identified, &actor)?,
        Command::Email(EmailCommand::Template(command)) => email_template(conn, command, &actor)?,
        Command::Outbox { study: _, send: true } => {
            let summary = send_due(settings)?;
            println!(
                "outbox: {} sent, {} retrying later, {} failed{}",
                summary.sent,
                summary.retrying,
                summary.failed,
                if summary.interrupted > 0 {
                    format!(
                        " ({} interrupted earlier while sending, marked failed, not resent)",
                        summary.interrupted
                    )
                } else {
                    String::new()
                }
            );
        }
        Command::Outbox { study, send: false } => {
            print_outbox(&outbox::waiting(conn, study.as_deref())?, settings);
        }
    }
    Ok(())
}

fn email_template(
    conn: &mut Connection,
    command: TemplateCommand,
    actor: &crate::service::Actor,
) -> Result<(), CliError> {
    use crate::service::email_templates;
    let study_language =
        |conn: &mut Connection, slug: &str, lang: Option<String>| -> Result<String, CliError> {
            Ok(match lang {
                Some(lang) => lang,
                None => crate::i18n::negotiate_expert(&studies::load(conn, slug)?.file.language).to_string(),
            })
        };
    let read = |path: &std::path::Path, flag: &str| {
        std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("{flag} {}: {e}", path.display())))
    };
    match command {
        TemplateCommand::Set {
            slug,
            name,
            lang,
            subject,
            text,
            html,
        } => {
            let lang = study_language(conn, &slug, lang)?;
            let template = crate::email::render::Override {
                subject,
                body_text: read(&text, "--text")?,
                body_html: html.as_deref().map(|p| read(p, "--html")).transpose()?,
            };
            let preview = email_templates::set(conn, &slug, &name, &lang, &template, actor)?;
            println!("`{slug}` now uses its own {name} email in {lang}. Sample:");
            println!("Subject: {}\n\n{}", preview.subject, preview.text);
        }
        TemplateCommand::Clear { slug, name, lang } => {
            let lang = study_language(conn, &slug, lang)?;
            if email_templates::clear(conn, &slug, &name, &lang, actor)? {
                println!("`{slug}` uses the built-in {name} email in {lang} again");
            } else {
                println!("`{slug}` had no own {name} email in {lang}; nothing changed");
            }
        }
        TemplateCommand::Show { slug, name, lang } => {
            let rows = email_templates::list(conn, &slug)?;
            match name {
                None if rows.is_empty() => println!("`{slug}` uses the built-in wording of every email"),
                None => {
                    for row in rows {
                        println!(
                            "{}\t{}\tupdated {}",
                            row.name,
                            row.language,
                            row.updated_at.format("%Y-%m-%d %H:%M")
                        );
                    }
                }
                Some(name) => {
                    let lang = study_language(conn, &slug, lang)?;
                    match rows.iter().find(|r| r.name == name && r.language == lang) {
                        Some(row) => {
                            println!("Subject: {}\n\n{}", row.subject, row.body_text);
                            if let Some(html) = &row.body_html {
                                println!("--- HTML ---\n{html}");
                            }
                        }
                        None => println!(
                            "`{slug}` uses the built-in {name} email in {lang} (templates/email/{name}/)"
                        ),
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs the outbox worker once, on a runtime of its own (the CLI is otherwise synchronous).
/// The worker is built and dropped inside the runtime: the SMTP connection pool runs tasks on it.
fn send_due(settings: &Settings) -> Result<outbox::Summary, CliError> {
    let store = Store::open(&settings.database_url(), &settings.database)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.into()))?;
    runtime.block_on(async {
        let worker = outbox::Worker::new(store, settings.clone())?;
        worker.deliver_due().await.map_err(CliError::from)
    })
}

fn print_next_steps(slug: &str, settings: &Settings, answered: bool) {
    println!();
    println!("Next:");
    println!("  delphi study show {slug}          what the study holds");
    if answered {
        println!("  delphi results {slug}             round 1's results");
    } else {
        println!("  delphi round open {slug}          open round 1 and queue the invitations");
    }
    println!("  delphi outbox                       the invitations waiting in the outbox");
    println!(
        "  delphi serve                        then open {}",
        settings.public_url()
    );
}

fn print_overview(o: &studies::StudyOverview) {
    println!("{} — {}", o.slug, o.title);
    println!(
        "status:    {}{}",
        o.status,
        o.finish_reason
            .as_ref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    );
    println!("language:  {}    time zone: {}", o.language, o.timezone);
    println!("scale:     {}", o.scale);
    match (&o.rule_hash, &o.rule_locked_at) {
        (Some(hash), Some(at)) => println!("rule:      locked {at}, SHA-256 {hash}"),
        _ => println!("rule:      not locked yet (locks when round 1 opens)"),
    }
    for rule in &o.rules {
        println!("           {rule}");
    }
    for (i, criterion) in o.criteria.iter().enumerate() {
        let head = if i == 0 { "criteria:" } else { "" };
        println!("{head:<10} {criterion}");
    }
    println!("sections:");
    for (key, title, n) in &o.sections {
        println!("  {key:<16} {n:>4} items   {title}");
    }
    println!("panel:");
    for (key, name, n) in &o.groups {
        println!("  {key:<16} {n:>4} experts {name}");
    }
    println!("rounds (at most {}):", o.max_rounds);
    if o.rounds.is_empty() {
        println!("  none yet");
    }
    for r in &o.rounds {
        println!(
            "  {:>2}  {:<7} {:>4} items {:>5} invited  opened {}  deadline {}  closed {}{}",
            r.number,
            r.status,
            r.items,
            r.invited,
            r.opened_at.as_deref().unwrap_or("-"),
            r.deadline.as_deref().unwrap_or("-"),
            r.closed_at.as_deref().unwrap_or("-"),
            // Only a ranking round says its kind: rating rounds read as they always did.
            if r.kind == RoundKind::Ranking {
                "  (ranking)"
            } else {
                ""
            },
        );
    }
}

/// Prints a results table as asked: the CSV its export writes, JSON, or a table for the
/// terminal.
fn print_results<T: serde::Serialize>(
    format: ResultsFormat,
    table: &T,
    csv: impl FnOnce(&T) -> Result<String, csv::Error>,
    print_table: impl FnOnce(&T),
) -> Result<(), CliError> {
    match format {
        ResultsFormat::Csv => print!("{}", csv(table).map_err(|e| CliError::Failed(e.into()))?),
        ResultsFormat::Json => {
            let text = serde_json::to_string_pretty(table).map_err(|e| CliError::Failed(e.into()))?;
            println!("{text}");
        }
        ResultsFormat::Table => print_table(table),
    }
    Ok(())
}

fn print_ranking_table(table: &ranking::RankingTable) {
    println!(
        "ranking round {} of `{}`: {} experts ranked up to {} items each; score: {}",
        table.round,
        table.study,
        table.responded,
        table.choose,
        table.combine.replace('_', " ")
    );
    let mut header = format!(
        "{:>4}  {:<10} {:>9} {:>6} {:>6} {:>5}",
        "rank", "item", "score", "points", "chosen", "first"
    );
    for group in &table.groups {
        header.push_str(&format!(" {:>8}", format!("rank_{group}")));
    }
    println!("{header}");
    for line in &table.lines {
        let mut row = format!(
            "{:>4}  {:<10} {:>9.4} {:>6} {:>6} {:>5}",
            line.rank, line.item_code, line.score, line.points, line.chosen, line.first
        );
        for group in &line.groups {
            let rank = group.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
            row.push_str(&format!(" {rank:>8}"));
        }
        println!("{row}");
    }
}

/// The first columns of a line of a results table: the round, then the group in a table by
/// group.
fn lead(round: impl std::fmt::Display, group: &str, by_group: bool) -> String {
    let mut text = format!("{round:>5} ");
    if by_group {
        text.push_str(&format!("{group:<14}"));
    }
    text
}

fn print_results_table(table: &ResultsTable, by_group: bool) {
    if table.lines.is_empty() {
        println!("no closed round yet: results are computed when a round closes");
        return;
    }
    let num = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
    let mut header = lead("round", "group", by_group);
    header.push_str(&format!("{:<10} ", "item"));
    if !table.criteria.is_empty() {
        header.push_str(&format!("{:<14}", "criterion"));
    }
    header.push_str(&format!(
        "{:>4} {:>4} {:>6} {:>6} {:>6}  {:<6}",
        "n", "U", "median", "IQR", "DI", "status"
    ));
    for alternative in &table.alternatives {
        header.push_str(&format!(" {alternative:<12}"));
    }
    println!("{header}");
    for line in &table.lines {
        let mut row = lead(line.round, &line.group, by_group);
        row.push_str(&format!("{:<10} ", line.item_code));
        match line.criterion.as_deref() {
            None => {}
            // The item's own line: its status combines its criteria's.
            Some("") => row.push_str(&format!("{:<14}", "(combined)")),
            Some(criterion) => row.push_str(&format!("{criterion:<14}")),
        }
        row.push_str(&format!(
            "{:>4} {:>4} {:>6} {:>6} {:>6}  {:<6}",
            line.n,
            line.unable,
            num(line.figures.median),
            num(line.figures.iqr),
            num(line.figures.di),
            line.status
        ));
        for status in &line.alternative_statuses {
            row.push_str(&format!(" {status:<12}"));
        }
        println!("{row}");
    }
    if let Some(hash) = &table.rule_hash {
        println!("consensus rule SHA-256 {hash}");
    }
}

/// The ranked CHNRI scores: rank, item, each criterion's score, RPS, wRPS, AEA and the criteria
/// below their threshold.
fn print_chnri_table(table: &crate::service::chnri::ChnriTable, by_group: bool) {
    if table.lines.is_empty() {
        println!("no closed round yet: scores are computed when a round closes");
        return;
    }
    let num = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into());
    let mut header = lead("round", "group", by_group);
    header.push_str(&format!("{:>4} {:<10} {:>4}", "rank", "item", "n"));
    for key in &table.criteria {
        header.push_str(&format!(" {:>12}", truncate(key, 12)));
    }
    header.push_str(&format!(" {:>6} {:>6} {:>5}  below", "RPS", "wRPS", "AEA"));
    println!("{header}");
    for line in &table.lines {
        let mut row = lead(line.round, &line.group, by_group);
        let rank = line.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
        row.push_str(&format!("{rank:>4} {:<10} {:>4}", line.item_code, line.n));
        for cs in &line.cs {
            row.push_str(&format!(" {:>12}", num(*cs)));
        }
        let aea = line.aea.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
        row.push_str(&format!(
            " {:>6} {:>6} {aea:>5}  {}",
            num(line.rps),
            num(line.wrps),
            line.below.join(";")
        ));
        println!("{row}");
    }
}

fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

fn print_stability_table(table: &StabilityTable) {
    if table.lines.is_empty() {
        println!("no item was rated in two consecutive closed rounds yet");
        return;
    }
    let num = |v: Option<f64>| v.map(|v| format!("{v:+.1}")).unwrap_or_else(|| "-".into());
    let mut header = format!("{:>5} {:<10} {:<11}", "round", "item", "status");
    for range in &table.share_ranges {
        header.push_str(&format!(" {:>9}", format!("Δ% {range}")));
    }
    header.push_str(&format!(
        " {:>8} {:>12} {:>7} {:>10}",
        "Δmedian", "moved band", "stable", "attrition"
    ));
    println!("{header}");
    for line in &table.lines {
        let mut row = format!(
            "{:>5} {:<10} {:<11}",
            line.round,
            line.item_code,
            format!("{}→{}", line.previous_status, line.status)
        );
        for share in &line.change.shares {
            row.push_str(&format!(" {:>9}", num(share.delta)));
        }
        let moved = format!("{}/{}", line.bands.moved, line.bands.paired);
        let stable = match line.bands.stable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        row.push_str(&format!(
            " {:>8} {:>12} {:>7} {:>10}",
            num(line.change.delta_median),
            moved,
            stable,
            num(line.attrition.difference)
        ));
        println!("{row}");
    }
    println!(
        "stable: fewer than 15% of experts who rated in both rounds changed band (Scheibe et al., 1975)"
    );
    println!(
        "attrition: round r−1 mean of experts who answered round r minus that of invited non-responders"
    );
}

fn print_outbox(emails: &[Waiting], settings: &Settings) {
    if emails.is_empty() {
        println!("the outbox is empty: nothing queued or failed");
        return;
    }
    println!(
        "{:>6}  {:<8} {:<11} {:>3}  {:<19}  {:<32} subject",
        "id", "status", "kind", "try", "next attempt", "to"
    );
    for email in emails {
        println!(
            "{:>6}  {:<8} {:<11} {:>3}  {:<19}  {:<32} {}{}",
            email.id,
            email.status,
            email.kind,
            email.attempts,
            email.next_attempt_at.format("%Y-%m-%d %H:%M:%S"),
            csv_cell::text(&email.recipient),
            email.subject,
            email
                .last_error
                .as_ref()
                .map(|e| format!("  [last error: {e}]"))
                .unwrap_or_default(),
        );
    }
    println!(
        "{} emails waiting (email transport: {})",
        emails.len(),
        settings.email.transport.as_str()
    );
}
