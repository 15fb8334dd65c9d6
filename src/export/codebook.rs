//! codebook.md: every column of every file of the data package, for the package's readers.

use crate::domain::file_error::or_list;
use crate::domain::rule::Status;
use crate::export::words;
use crate::service::export::{ChnriExport, StudyExport};

fn table(out: &mut String, rows: &[(&str, &str)]) {
    out.push_str("| column | meaning |\n| --- | --- |\n");
    for (column, meaning) in rows {
        if column.contains('`') {
            out.push_str(&format!("| {column} | {meaning} |\n"));
        } else {
            out.push_str(&format!("| `{column}` | {meaning} |\n"));
        }
    }
    out.push('\n');
}

pub fn write(data: &StudyExport) -> String {
    let study = &data.study;
    let scale = &data.study.scale;
    let primary = &data.study.rules.primary;
    let mut out = format!(
        "# Codebook — {} (`{}`)\n\n\
         Data package exported by Delphi {} on {} UTC. Column names and meanings are stable \
         (docs/exports.md of Delphi). CSV files are UTF-8, comma-separated, RFC 4180 quoting, \
         CRLF line ends, `.` decimal point, an empty cell for null. A text cell that would start \
         with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'` \
         (spreadsheet formula injection); numbers are never changed. Numbers are written in the \
         shortest form that reads back to the same double.\n\n\
         Experts appear as pseudonyms (`E001`…), assigned in the order experts joined the panel \
         and never reused{}.\n\n",
        study.title,
        study.slug,
        env!("CARGO_PKG_VERSION"),
        data.generated_at.format("%Y-%m-%d %H:%M:%S"),
        if data.identified {
            "; this is an **identified** export: `email` and `name` columns are added to \
             ratings.csv and participants.csv"
        } else {
            ""
        }
    );
    if let Some(chnri) = &data.chnri {
        write_chnri(&mut out, data, chnri);
        return out;
    }
    out.push_str("## Files\n\n");
    let mut files: Vec<(&str, &str)> = vec![
        ("results.csv", "one row per item per closed round, pooled panel"),
        ("results_by_group.csv", "the same per stakeholder group"),
        ("consensus.csv", "the final list, one row per item"),
        (
            "ratings.csv",
            "every answer, one row per expert per item per closed round",
        ),
        ("participants.csv", "one row per expert of the panel"),
        (
            "stability.csv",
            "change between consecutive closed rounds and attrition",
        ),
        (
            "drift.csv",
            "how far the scores moved toward the previous round's median, per item, group and cohort",
        ),
        (
            "study.toml",
            "the study file as locked, items inline, with the consensus rules and their SHA-256",
        ),
        (
            "report.html",
            "the study report (open in a browser; prints to PDF)",
        ),
        (
            "SHA256SUMS",
            "checksums of every other file: `sha256sum -c SHA256SUMS`",
        ),
    ];
    if !data.rankings.is_empty() {
        files.insert(
            7,
            (
                "ranking.csv, rankings.csv",
                "the results of the ranking round, and the lists behind them",
            ),
        );
    }
    if data.ideas.is_some() {
        files.insert(
            7,
            (
                "ideas.csv",
                "the proposals of the ideas round (before round 1) and what became of each",
            ),
        );
    }
    table(&mut out, &files);
    // The columns of results.csv, which cover every criterion's own scale too.
    let (lo, hi) = (data.results.scale_min, data.results.scale_max);
    let counts = format!("`c{lo}` … `c{hi}`");
    let criteria = !data.results.criteria.is_empty();
    let own_scales: Vec<String> = study
        .file
        .criteria
        .iter()
        .filter_map(|c| Some(format!("`{}` on {}", c.key, c.scale.as_ref()?.describe())))
        .collect();
    let counts_meaning = if own_scales.is_empty() {
        "number of experts who gave each score".to_owned()
    } else {
        format!(
            "number of experts who gave each score; the study's scale is {}, and {} (their \
             own `scale` in study.toml): a point outside a line's scale counts 0",
            scale.describe(),
            own_scales.join(", ")
        )
    };
    let mut results_rows: Vec<(String, String)> = vec![
        ("round".into(), "round number, from 1".into()),
        ("item_code".into(), "the item's code (as in study.toml)".into()),
    ];
    if criteria {
        results_rows.push((
            "criterion".into(),
            format!(
                "the criterion of the line ({}, see `[[criterion]]` in study.toml); empty on the \
                 item's own line, which holds its combined status (`[consensus] combine`) and \
                 leaves `n`, `unable`, the counts and the statistics empty",
                data.results.criteria.join(", ")
            ),
        ));
    }
    results_rows.extend([
        ("section".into(), "the key of the item's section".into()),
        (
            "item_text".into(),
            "the item's wording as put to the panel in that round".into(),
        ),
        ("invited".into(), "experts invited to the round".into()),
        (
            "responded".into(),
            "of them, those who answered this item with a score or \"unable to score\", submitted or not (the answers the statistics count)".into(),
        ),
        (
            "n".into(),
            format!(
                "denominator of shares: scores only (`unable = \"{}\"` in study.toml{})",
                primary.unable.as_str(),
                if primary.unable == crate::domain::stats::UnablePolicy::Include {
                    ", so \"unable\" answers count too"
                } else {
                    ""
                }
            ),
        ),
        ("unable".into(), "number of \"unable to score\" answers".into()),
        (counts, counts_meaning),
        ("mean".into(), "mean of the scores".into()),
        (
            "sd".into(),
            "sample standard deviation (divisor m − 1); empty for fewer than 2 scores".into(),
        ),
        ("median".into(), "median".into()),
        (
            "q1, q3".into(),
            format!(
                "first and third quartiles, Hyndman–Fan type {}",
                primary.quantiles.number()
            ),
        ),
        ("iqr".into(), "q3 − q1".into()),
        ("p30, p70".into(), "30th and 70th percentiles, same type".into()),
        ("ipr".into(), "p70 − p30".into()),
        (
            "ipras".into(),
            "2.35 + 1.5·|5 − (p30 + p70)/2| (RAND/UCLA; 1–9 scales only)".into(),
        ),
        (
            "di".into(),
            "disagreement index ipr / ipras (1–9 scales only)".into(),
        ),
        (
            "status".into(),
            if criteria {
                format!(
                    "{}: a criterion's under its own rule, the item's combined from its criteria's",
                    status_values()
                )
            } else {
                format!("{} under the primary rule", status_values())
            },
        ),
    ]);
    for name in &data.results.alternatives {
        results_rows.push((
            format!("status_{name}"),
            format!("status under the alternative rule `{name}` (see study.toml)"),
        ));
    }
    out.push_str("## results.csv\n\nStatistics are empty when nobody gave a score.\n\n");
    let borrowed: Vec<(&str, &str)> = results_rows
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    table(&mut out, &borrowed);
    out.push_str(
        "## results_by_group.csv\n\nThe columns of results.csv with `group` (the stakeholder \
         group's key) after `round`; `invited`, counts and statistics are the group's own, and \
         each status is the rule evaluated on that group alone.\n\n",
    );
    out.push_str("## consensus.csv\n\n");
    table(
        &mut out,
        &[
            ("item_code", "the item's code"),
            ("section", "the key of the item's section"),
            ("item_text", "the wording in the last round that rated the item"),
            (
                "status",
                &format!("{} under the primary rule in that round", status_values()),
            ),
            (
                "decided_in_round",
                "that round when the status is `in` or `out`; empty otherwise",
            ),
            ("median, q1, q3", "in that round"),
            (
                "share_top",
                "percent of n in the highest band of the scale in that round",
            ),
            ("share_bottom", "percent of n in the lowest band"),
        ],
    );
    out.push_str(
        "## ratings.csv\n\nAnswers of closed rounds only (an open round's answers are not final).\n\n",
    );
    let columns = crate::export::ratings_csv::Columns::of(&data.study.file, data.identified);
    let mut rating_rows = vec![("round", "round number"), ("expert", "pseudonym")];
    if columns.identified {
        rating_rows.extend([("email", "the expert's email"), ("name", "the expert's name")]);
    }
    rating_rows.extend([
        ("group", "the expert's stakeholder group key"),
        ("item_code", "the item's code"),
    ]);
    if columns.criteria {
        rating_rows.push(("criterion", "the key of the criterion the answer is on"));
    }
    if columns.position {
        rating_rows.push((
            "position",
            "the item's place on the expert's page in that round, from 1, as drawn from `[rounds] seed` \
             (`order = \"random\"`, `items_per_expert`); empty when the round drew nothing",
        ));
    }
    rating_rows.push(("score", "the score; empty for \"unable to score\" or no score"));
    if columns.pre_feedback {
        rating_rows.push((
            "pre_feedback_score",
            "the score given before the group's feedback showed (`[feedback] timing = \"after_rating\"`); \
             `score` is the final one; empty in round 1 and when the expert gave none",
        ));
    }
    rating_rows.extend([
        ("unable", "`true` when the expert chose \"unable to score\""),
        ("comment", "the expert's comment, if any"),
        (
            "changed_band",
            "`true` when the score is in another band than the expert's score of the round before; empty in round 1 or when either score is missing",
        ),
        ("reason", "why the expert changed band, when asked"),
        ("saved_at", "when the answer was last saved, UTC, ISO 8601"),
    ]);
    table(&mut out, &rating_rows);
    out.push_str("## participants.csv\n\n");
    let mut participant_rows = vec![("expert", "pseudonym")];
    if data.identified {
        participant_rows.extend([("email", "the expert's email"), ("name", "the expert's name")]);
    }
    participant_rows.extend([
        ("group", "stakeholder group key"),
        ("country", "as given in the panel file"),
        ("invited_rounds", "closed rounds the expert was invited to"),
        (
            "responded_rounds",
            "closed rounds in which the expert responded: answered at least one item with a score or \"unable to score\", submitted or not",
        ),
        (
            "submitted_rounds",
            "of those, the rounds in which the expert also submitted their answers (responded_rounds minus submitted_rounds: answered without submitting)",
        ),
        (
            "delivery_state",
            "the expert's last email carrying their link: none, queued, delivered, auto_replied (delivered; an automatic answer came back), delayed (a temporary failure was reported), failed, cancelled, or undeliverable (the address bounced for good)",
        ),
    ]);
    table(&mut out, &participant_rows);
    out.push_str("## stability.csv\n\n");
    let mut stability_rows = vec![("round", "round r, from 2"), ("item_code", "the item's code")];
    if data.stability.by_criterion {
        stability_rows.push((
            "criterion",
            "the criterion's key: one row per item and criterion, its scores and its status under its own rule",
        ));
    }
    stability_rows.extend([
        (
            "status_previous, status",
            "primary status in round r − 1 and in round r",
        ),
        (
            "delta_share_<lo>_<hi>",
            "share in round r minus round r − 1, percentage points, per share range of the primary `in` list",
        ),
        ("delta_median", "median in round r minus round r − 1"),
        ("paired", "experts who scored the item in both rounds"),
        ("moved_band", "of them, those who moved to another band"),
        ("moved_band_percent", "100 · moved_band / paired"),
        ("stable", "`true` when moved_band_percent < 15 (Scheibe rule)"),
        (
            "attrition_responders, attrition_non_responders",
            "experts invited to round r who did / did not respond, with a round r − 1 score",
        ),
        (
            "attrition_responders_mean, attrition_non_responders_mean",
            "their mean round r − 1 score",
        ),
        (
            "attrition_difference",
            "responders' mean minus non-responders' mean",
        ),
    ]);
    table(&mut out, &stability_rows);
    out.push_str(&format!(
        "## drift.csv\n\nFor every item rated in two consecutive closed rating rounds r − 1 and r{}: \
         the rows `panel`, one `group:<key>` per stakeholder group, `cohort:early` and \
         `cohort:later`. Definitions: docs/statistics.md of Delphi, \"Drift\". {}\n\n",
        if criteria {
            ", per criterion (the column `criterion` after `item_code`)"
        } else {
            ""
        },
        crate::export::drift_csv::PRECISION
    ));
    table(&mut out, &crate::export::drift_csv::COLUMNS);
    if !data.rankings.is_empty() {
        ranking_sections(&mut out, data);
    }
    if data.ideas.is_some() {
        out.push_str(
            "## ideas.csv\n\nThe ideas round comes before round 1 and is not counted in any \
             `round` column of the other files.\n\n",
        );
        table(
            &mut out,
            &[
                ("proposal", "the proposal's code (P001, …), in the order received"),
                ("expert", "pseudonym of the expert who proposed it"),
                ("section", "section key"),
                ("text, rationale", "as the expert wrote them (rationale optional)"),
                (
                    "outcome",
                    "`merged` (into an item), or why it was set aside: `out_of_scope`, `duplicate`, \
                     `already_answered`, `unclear`; empty while not processed",
                ),
                ("item_code", "the item it was merged into (new or existing)"),
                (
                    "source",
                    "for `already_answered`: the citation that answers it, then its link in angle brackets when given",
                ),
            ],
        );
    }
    out.push_str(
        "## Recomputing results.csv\n\nGroup ratings.csv by `round` and `item_code`; the counts \
         `c<v>` are the numbers of rows with `score = v`, `unable` the rows with `unable = true`; \
         the statistics follow from the sorted scores with the quantile type and `unable` policy \
         of `[consensus]` in study.toml; statuses follow from the rules there. The definitions \
         are in docs/statistics.md of Delphi.\n",
    );
    out
}

/// ranking.csv and rankings.csv, for a study that ran a ranking round.
fn ranking_sections(out: &mut String, data: &StudyExport) {
    let (choose, combine) = data
        .study
        .file
        .ranking
        .as_ref()
        .map(|r| (r.choose, r.combine))
        .unwrap_or((0, crate::domain::ranking::Combine::default()));
    out.push_str(&format!(
        "## ranking.csv\n\nThe results of the ranking round, one row per item offered, by `rank`, \
         ties by `item_code`. Each expert picked and ordered up to {choose} items (`[ranking] \
         choose`); position p earns {choose} − p + 1 points, an item not chosen 0. `T(i,g)` is \
         the points group g gave item i, `P(g)` the sum of T over the items. Scores combine the \
         groups as `{combine}`.\n\n"
    ));
    let mut rows: Vec<(String, String)> = vec![
        ("round".into(), "round number of the ranking round".into()),
        ("item_code".into(), "the item's code".into()),
        ("section".into(), "the key of the item's section".into()),
        ("item_text".into(), "the item's wording as offered".into()),
        ("chosen".into(), "experts who chose the item".into()),
        ("first".into(), "experts who put it first".into()),
        ("points".into(), "Σ_g T(i,g): the points of every expert".into()),
    ];
    for group in &data.groups {
        let g = &group.key;
        rows.push((
            format!("points_{g}"),
            format!("T(i,{g}): the points of group `{g}`"),
        ));
        rows.push((
            format!("share_{g}"),
            format!("T(i,{g}) / P({g}); empty when nobody of group `{g}` chose anything"),
        ));
        rows.push((
            format!("rank_{g}"),
            format!("rank by points_{g}, descending, equal points sharing the smallest rank; empty when P({g}) = 0"),
        ));
    }
    rows.push((
        "score".into(),
        "`pooled`: Σ_g T(i,g); `equal_groups`: Σ over groups with P(g) > 0 of T(i,g)/P(g), so every group weighs the same".into(),
    ));
    rows.push((
        "rank".into(),
        "rank by score, descending; equal scores share the smallest rank (1, 2, 2, 4)".into(),
    ));
    let borrowed: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    table(out, &borrowed);
    out.push_str("## rankings.csv\n\nThe lists behind ranking.csv, one row per item an expert chose.\n\n");
    let mut answer_rows = vec![("round", "round number"), ("expert", "pseudonym")];
    if data.identified {
        answer_rows.extend([("email", "the expert's email"), ("name", "the expert's name")]);
    }
    answer_rows.extend([
        ("group", "the expert's stakeholder group key"),
        ("item_code", "the item's code"),
        ("position", "1 for the expert's first choice, 2 for the second, …"),
    ]);
    table(out, &answer_rows);
    out.push_str(
        "Recomputing ranking.csv: give each row `choose − position + 1` points, sum them by \
         `item_code` and `group` (T), and follow the definitions above.\n\n",
    );
}

/// The codebook of a CHNRI study: its own results columns and the answers they come from.
fn write_chnri(out: &mut String, data: &StudyExport, chnri: &ChnriExport) {
    out.push_str("## Files\n\n");
    table(
        out,
        &[
            (
                "results.csv",
                "CHNRI scores, one row per item per closed round, pooled panel, ranked",
            ),
            ("results_by_group.csv", "the same per stakeholder group, ranked within it"),
            (
                "chnri_answers.csv",
                "every answer, one row per expert, item, criterion and question of a closed round",
            ),
            ("participants.csv", "one row per expert of the panel"),
            (
                "study.toml",
                "the study file as locked, items inline, with the criteria, weights, thresholds and questions",
            ),
            ("report.html", "the study report (open in a browser; prints to PDF)"),
            ("SHA256SUMS", "checksums of every other file: `sha256sum -c SHA256SUMS`"),
        ],
    );
    out.push_str(
        "## results.csv\n\nScores are empty when undefined (nobody answered yes, undecided or no).\n\n",
    );
    let mut rows: Vec<(String, String)> = vec![
        ("round".into(), "round number, from 1".into()),
        ("item_code".into(), "the item's code (as in study.toml)".into()),
        ("section".into(), "the item's section key".into()),
        (
            "item_text".into(),
            "the item's text as asked in that round".into(),
        ),
        ("invited".into(), "experts invited to the round".into()),
        (
            "n".into(),
            "experts who gave at least one yes, undecided or no answer on the item".into(),
        ),
    ];
    for criterion in data.study.file.chnri_criteria() {
        rows.push((
            format!("cs_{}", criterion.key),
            format!(
                "criterion score of \"{}\": 100 · (yes + undecided / 2) / (yes + undecided + no) over its questions and the experts",
                criterion.label
            ),
        ));
    }
    rows.extend([
        ("rps".into(), "research priority score: the mean of the criterion scores".into()),
        (
            "wrps".into(),
            "weighted research priority score: the criterion scores weighted by the criteria's `weight`".into(),
        ),
        (
            "aea".into(),
            "average expert agreement, 0 to 1: over the questions answered, the mean share of the most common answer".into(),
        ),
        (
            "rank".into(),
            "by wrps, highest first; equal scores share the smallest rank; empty when wrps is".into(),
        ),
        (
            "below".into(),
            "keys of the criteria whose score is below their `threshold`, `;`-separated".into(),
        ),
    ]);
    let borrowed: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    table(out, &borrowed);
    out.push_str(
        "## results_by_group.csv\n\nThe columns of results.csv with `group` (the stakeholder group key) after `round`; \
         every score and the rank are computed over that group's experts only.\n\n",
    );
    out.push_str("## chnri_answers.csv\n\nAnswers of closed rounds only.\n\n");
    table(
        out,
        &[
            ("round", "round number"),
            ("expert", "pseudonym"),
            ("group", "stakeholder group key"),
            ("item_code", "the item's code"),
            ("criterion", "the criterion's key (`[[chnri.criterion]]` in study.toml)"),
            ("question", "the question's number within its criterion, from 1"),
            (
                "answer",
                "`yes` (1 point), `undecided` (informed but undecided, 1/2), `no` (0) or `dont_know` (counts nowhere)",
            ),
            ("saved_at", "when the answer was last saved, UTC, ISO 8601"),
        ],
    );
    out.push_str("## participants.csv\n\n");
    table(
        out,
        &[
            ("expert", "pseudonym"),
            ("group", "stakeholder group key"),
            ("country", "as given in the panel file"),
            ("invited_rounds", "closed rounds the expert was invited to"),
            (
                "responded_rounds",
                "closed rounds in which the expert answered at least one question",
            ),
            (
                "submitted_rounds",
                "of those, the rounds in which the expert also submitted their answers",
            ),
            (
                "delivery_state",
                "the expert's last email carrying their link: none, queued, delivered, auto_replied, delayed, failed, cancelled or undeliverable",
            ),
        ],
    );
    out.push_str(&format!(
        "## Recomputing results.csv\n\nGroup chnri_answers.csv by `round` and `item_code` (and `group` for \
         results_by_group.csv). For each criterion, count the yes (Y), undecided (U) and no (N) answers \
         over its questions: `cs = 100 · (Y + U/2) / (Y + U + N)`. `rps` is the mean of the {} criterion \
         scores, `wrps` their mean weighted by `weight` in study.toml; `aea` is the mean over the questions \
         with any yes, undecided or no answer of max(Y, U, N) / (Y + U + N). The definitions are in \
         docs/statistics.md of Delphi (\"CHNRI\").\n",
        chnri.results.criteria.len()
    ));
}

/// The values of a status column with the words the report shows for them: `` `in` (consensus
/// in), `out` (consensus out) or `none` (no consensus) ``.
fn status_values() -> String {
    let each: Vec<String> = Status::ALL
        .iter()
        .map(|s| format!("`{s}` ({})", words::status_in_sentence(*s)))
        .collect();
    or_list(&each)
}
