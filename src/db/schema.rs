//! Diesel's view of the tables in `migrations/`. Written by hand (not `print-schema`) because one
//! schema serves both backends: every column uses a type the multi connection can carry.

diesel::table! {
    facilitators (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        is_admin -> Bool,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    facilitator_sessions (id) {
        id -> BigInt,
        facilitator_id -> BigInt,
        token_hash -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        facilitator_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        purpose -> Text,
    }
}

diesel::table! {
    setup_links (id) {
        id -> BigInt,
        token -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        facilitator_id -> BigInt,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        scope -> Text,
    }
}

diesel::table! {
    studies (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        description -> Text,
        language -> Text,
        timezone -> Text,
        status -> Text,
        definition -> Text,
        rule_set -> Text,
        rule_hash -> Nullable<Text>,
        rule_locked_at -> Nullable<Timestamp>,
        anonymity -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        finish_reason -> Nullable<Text>,
    }
}

diesel::table! {
    study_roles (id) {
        id -> BigInt,
        study_id -> BigInt,
        facilitator_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stakeholder_groups (id) {
        id -> BigInt,
        study_id -> BigInt,
        key -> Text,
        name -> Text,
        position -> Integer,
    }
}

diesel::table! {
    sections (id) {
        id -> BigInt,
        study_id -> BigInt,
        key -> Text,
        title -> Text,
        position -> Integer,
    }
}

diesel::table! {
    items (id) {
        id -> BigInt,
        study_id -> BigInt,
        section_id -> BigInt,
        code -> Text,
        text -> Text,
        description -> Nullable<Text>,
        position -> Integer,
        version -> Integer,
        origin -> Text,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    item_versions (id) {
        id -> BigInt,
        item_id -> BigInt,
        version -> Integer,
        text -> Text,
        description -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    item_translations (id) {
        id -> BigInt,
        item_id -> BigInt,
        language -> Text,
        text -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    experts (id) {
        id -> BigInt,
        study_id -> BigInt,
        group_id -> BigInt,
        email -> Nullable<Text>,
        name -> Text,
        country -> Nullable<Text>,
        language -> Nullable<Text>,
        pseudonym -> Text,
        withdrawn_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        is_test -> Bool,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        study_id -> BigInt,
        number -> Integer,
        status -> Text,
        opened_at -> Nullable<Timestamp>,
        deadline -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        created_at -> Timestamp,
        kind -> Text,
    }
}

diesel::table! {
    round_items (id) {
        id -> BigInt,
        round_id -> BigInt,
        item_id -> BigInt,
        position -> Integer,
        item_version -> Integer,
        origin -> Text,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        round_id -> BigInt,
        expert_id -> BigInt,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        opened_at -> Nullable<Timestamp>,
        started_at -> Nullable<Timestamp>,
        submitted_at -> Nullable<Timestamp>,
        reminders_sent -> Integer,
        last_reminded_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitation_tokens (id) {
        id -> BigInt,
        invitation_id -> BigInt,
        token_hash -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ratings (id) {
        id -> BigInt,
        round_id -> BigInt,
        item_id -> BigInt,
        expert_id -> BigInt,
        score -> Nullable<Integer>,
        unable -> Bool,
        comment -> Nullable<Text>,
        reason -> Nullable<Text>,
        saved_at -> Timestamp,
        criterion -> Text,
        pre_feedback_score -> Nullable<Integer>,
        feedback_shown -> Bool,
    }
}

diesel::table! {
    chnri_answers (id) {
        id -> BigInt,
        round_id -> BigInt,
        item_id -> BigInt,
        expert_id -> BigInt,
        criterion -> Text,
        question -> Integer,
        answer -> Text,
        saved_at -> Timestamp,
    }
}

diesel::table! {
    suggestions (id) {
        id -> BigInt,
        study_id -> BigInt,
        round_id -> BigInt,
        expert_id -> Nullable<BigInt>,
        section_id -> Nullable<BigInt>,
        text -> Text,
        rationale -> Nullable<Text>,
        status -> Text,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        item_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        code -> Nullable<Text>,
        set_aside -> Nullable<Text>,
        source -> Nullable<Text>,
        source_link -> Nullable<Text>,
    }
}

diesel::table! {
    item_evidence (id) {
        id -> BigInt,
        item_id -> BigInt,
        position -> Integer,
        citation -> Text,
        link -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    results (id) {
        id -> BigInt,
        round_id -> BigInt,
        item_id -> BigInt,
        rule -> Text,
        group_key -> Text,
        invited -> Integer,
        responded -> Integer,
        n -> Integer,
        unable -> Integer,
        counts -> Text,
        mean -> Nullable<Double>,
        sd -> Nullable<Double>,
        min_score -> Nullable<Double>,
        max_score -> Nullable<Double>,
        median -> Nullable<Double>,
        q1 -> Nullable<Double>,
        q3 -> Nullable<Double>,
        iqr -> Nullable<Double>,
        p30 -> Nullable<Double>,
        p70 -> Nullable<Double>,
        ipr -> Nullable<Double>,
        ipras -> Nullable<Double>,
        di -> Nullable<Double>,
        status -> Text,
        criterion -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        idempotency_key -> Text,
        kind -> Text,
        study_id -> Nullable<BigInt>,
        expert_id -> Nullable<BigInt>,
        facilitator_id -> Nullable<BigInt>,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        headers -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        message_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        study_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        details -> Text,
        created_at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    email_templates (id) {
        id -> BigInt,
        study_id -> BigInt,
        name -> Text,
        language -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    round_reminders (id) {
        id -> BigInt,
        round_id -> BigInt,
        offset_label -> Text,
        queued_at -> Timestamp,
        reminded -> Integer,
    }
}

diesel::table! {
    closing_emails (id) {
        id -> BigInt,
        study_id -> BigInt,
        queued_at -> Timestamp,
        queued_by -> Text,
        experts -> Integer,
    }
}

diesel::joinable!(email_templates -> studies (study_id));
diesel::joinable!(closing_emails -> studies (study_id));
diesel::joinable!(round_reminders -> rounds (round_id));
diesel::joinable!(facilitator_sessions -> facilitators (facilitator_id));
diesel::joinable!(password_resets -> facilitators (facilitator_id));
diesel::joinable!(api_tokens -> facilitators (facilitator_id));
diesel::joinable!(study_roles -> studies (study_id));
diesel::joinable!(study_roles -> facilitators (facilitator_id));
diesel::joinable!(stakeholder_groups -> studies (study_id));
diesel::joinable!(sections -> studies (study_id));
diesel::joinable!(items -> sections (section_id));
diesel::joinable!(item_versions -> items (item_id));
diesel::joinable!(item_translations -> items (item_id));
diesel::joinable!(experts -> stakeholder_groups (group_id));
diesel::joinable!(rounds -> studies (study_id));
diesel::joinable!(round_items -> rounds (round_id));
diesel::joinable!(round_items -> items (item_id));
diesel::joinable!(invitations -> rounds (round_id));
diesel::joinable!(invitations -> experts (expert_id));
diesel::joinable!(invitation_tokens -> invitations (invitation_id));
diesel::table! {
    rankings (id) {
        id -> BigInt,
        round_id -> BigInt,
        expert_id -> BigInt,
        item_id -> BigInt,
        position -> Integer,
        saved_at -> Timestamp,
    }
}

diesel::joinable!(rankings -> experts (expert_id));
diesel::joinable!(ratings -> items (item_id));
diesel::joinable!(ratings -> experts (expert_id));
diesel::joinable!(chnri_answers -> items (item_id));
diesel::joinable!(chnri_answers -> experts (expert_id));
diesel::joinable!(results -> items (item_id));
diesel::joinable!(results -> rounds (round_id));
diesel::joinable!(item_evidence -> items (item_id));

diesel::table! {
    page_items (id) {
        id -> BigInt,
        round_id -> BigInt,
        expert_id -> BigInt,
        item_id -> BigInt,
        position -> Integer,
    }
}

diesel::joinable!(page_items -> experts (expert_id));
diesel::joinable!(page_items -> items (item_id));

diesel::allow_tables_to_appear_in_same_query!(
    item_evidence,
    facilitators,
    facilitator_sessions,
    password_resets,
    api_tokens,
    studies,
    study_roles,
    stakeholder_groups,
    sections,
    items,
    item_versions,
    item_translations,
    experts,
    rounds,
    round_items,
    invitations,
    invitation_tokens,
    ratings,
    rankings,
    page_items,
    chnri_answers,
    suggestions,
    results,
    outbox,
    audit_log,
    email_templates,
    round_reminders,
    closing_emails,
    deliveries,
    undeliverable,
);

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        outbox_id -> BigInt,
        event -> Text,
        status -> Nullable<Text>,
        detail -> Text,
        at -> Timestamp,
        fingerprint -> Nullable<Text>,
    }
}

diesel::table! {
    undeliverable (expert_id) {
        expert_id -> BigInt,
        address -> Text,
        reason -> Text,
        outbox_id -> Nullable<BigInt>,
        marked_at -> Timestamp,
    }
}

diesel::joinable!(deliveries -> outbox (outbox_id));
diesel::joinable!(undeliverable -> experts (expert_id));

// The close aggregates ratings per item × group × answer in one GROUP BY across the join.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    ratings::item_id,
    ratings::criterion,
    ratings::score,
    ratings::unable,
    experts::group_id,
);

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        tokens -> Double,
        updated_at -> Double,
    }
}
