//! The API's route table: the server registers these routes and the OpenAPI document is built
//! from the same entries, so neither can list an endpoint the other lacks.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::endpoint::{Access, Endpoint, Method, Param, ParamIn, PathEndpoints, Success};
use super::schemas as s;
use super::{bounces, items, openapi, roles, rounds, studies};
use crate::domain::role::Role;
use crate::domain::token::TokenScope;
use crate::export::files::ExportFile;

const EMAIL: Param = Param {
    name: "email",
    location: ParamIn::Path,
    description: "The email of a facilitator account (percent-encoded in the path).",
    schema: s::email,
};

const SLUG: Param = Param {
    name: "slug",
    location: ParamIn::Path,
    description: "The study's slug.",
    schema: s::slug,
};

const CODE: Param = Param {
    name: "code",
    location: ParamIn::Path,
    description: "The item's code.",
    schema: s::item_code,
};

const ROUND: Param = Param {
    name: "round",
    location: ParamIn::Query,
    description: "A closed round's number; every closed round when absent.",
    schema: s::round_number,
};

const FORMAT: Param = Param {
    name: "format",
    location: ParamIn::Query,
    description: "`json` (default) or `csv` (the CSV `delphi results --format csv` prints).",
    schema: s::table_format,
};

const BY_GROUP: Param = Param {
    name: "by_group",
    location: ParamIn::Query,
    description: "One line per stakeholder group instead of the pooled panel.",
    schema: s::boolean,
};

const FILE: Param = Param {
    name: "file",
    location: ParamIn::Path,
    description: "Which export file.",
    schema: s::export_file,
};

const IDENTIFIED: Param = Param {
    name: "identified",
    location: ParamIn::Query,
    description: "Include experts' emails and names (owners only; audited).",
    schema: s::boolean,
};

fn json(schema: fn() -> Value) -> impl Fn() -> Vec<(&'static str, Value)> {
    move || vec![("application/json", schema())]
}

pub static ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: Method::Get,
        path: "/api/v1/openapi.json",
        operation_id: "openapi",
        tag: "meta",
        summary: "This OpenAPI document",
        access: Access::Public,
        params: &[],
        body: None,
        success: Success {
            status: 200,
            description: "The OpenAPI 3.1 document of this API",
            content: || vec![("application/json", s::any_object())],
        },
        errors: &[],
        route: || web::get().to(openapi_json),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/me",
        operation_id: "me",
        tag: "meta",
        summary: "Who the token belongs to, and their studies",
        access: Access::Token,
        params: &[],
        body: None,
        success: Success {
            status: 200,
            description: "The caller",
            content: || json(s::me)(),
        },
        errors: &[],
        route: || web::get().to(super::me),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/roles",
        operation_id: "listRoles",
        tag: "team",
        summary: "Who has which role in the study",
        access: Access::Study(Role::Owner),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The study's team",
            content: || json(s::role_list)(),
        },
        errors: &[],
        route: || web::get().to(roles::list),
    },
    Endpoint {
        method: Method::Put,
        path: "/api/v1/studies/{slug}/roles/{email}",
        operation_id: "setRole",
        tag: "team",
        summary: "Give an existing facilitator account a role in the study, or change it (the last owner cannot be demoted)",
        access: Access::Study(Role::Owner),
        params: &[SLUG, EMAIL],
        body: Some((s::role_body, true)),
        success: Success {
            status: 200,
            description: "The role now, and the one before",
            content: || json(s::role_change)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::put().to(roles::put),
    },
    Endpoint {
        method: Method::Delete,
        path: "/api/v1/studies/{slug}/roles/{email}",
        operation_id: "removeRole",
        tag: "team",
        summary: "Remove a facilitator's role in the study (not the last owner's)",
        access: Access::Study(Role::Owner),
        params: &[SLUG, EMAIL],
        body: None,
        success: Success {
            status: 200,
            description: "The role removed",
            content: || json(s::role_removed)(),
        },
        errors: &[409],
        route: || web::delete().to(roles::delete),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/bounces",
        operation_id: "receiveBounce",
        tag: "email",
        summary: "Hand over a bounce or auto-reply (the raw message) for the delivery history of the email it answers",
        access: Access::Scope(TokenScope::Bounces),
        params: &[],
        body: Some((s::raw_message, true)),
        success: Success {
            status: 200,
            description: "Recorded (or recorded before: `duplicate`): a hard or soft bounce or an auto-reply, and of which message",
            content: || json(s::bounce_recorded)(),
        },
        errors: &[400, 413],
        route: || web::post().to(bounces::receive),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies",
        operation_id: "listStudies",
        tag: "studies",
        summary: "The studies the caller has a role in",
        access: Access::Token,
        params: &[],
        body: None,
        success: Success {
            status: 200,
            description: "The caller's studies",
            content: || json(s::study_list)(),
        },
        errors: &[],
        route: || web::get().to(studies::list),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies",
        operation_id: "createStudy",
        tag: "studies",
        summary: "Create a study from the study file's structure as JSON; the caller becomes its owner",
        access: Access::Token,
        params: &[],
        body: Some((s::study_file, true)),
        success: Success {
            status: 201,
            description: "Created; `Location` is the study's URL",
            content: || json(s::created)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::post().to(studies::create),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}",
        operation_id: "getStudy",
        tag: "studies",
        summary: "A study: settings, sections, groups, rounds",
        access: Access::Study(Role::Viewer),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The study",
            content: || json(s::study)(),
        },
        errors: &[],
        route: || web::get().to(studies::show),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/items",
        operation_id: "listItems",
        tag: "items",
        summary: "The study's items",
        access: Access::Study(Role::Viewer),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The items",
            content: || json(s::item_list)(),
        },
        errors: &[],
        route: || web::get().to(studies::items),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/items",
        operation_id: "importItems",
        tag: "items",
        summary: "Add and update items by code (all or nothing, as `delphi items import`)",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::items_input, true)),
        success: Success {
            status: 200,
            description: "What changed",
            content: || json(s::import_summary)(),
        },
        errors: &[400, 413, 415, 422],
        route: || web::post().to(studies::import_items),
    },
    Endpoint {
        method: Method::Patch,
        path: "/api/v1/studies/{slug}/items/{code}",
        operation_id: "editItem",
        tag: "items",
        summary: "Reword, move or retire one item (a rated item's new wording becomes a new version)",
        access: Access::Study(Role::Editor),
        params: &[SLUG, CODE],
        body: Some((s::item_change, true)),
        success: Success {
            status: 200,
            description: "The item after the change",
            content: || json(s::item_edited)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::patch().to(items::edit),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/panel",
        operation_id: "listPanel",
        tag: "panel",
        summary: "The study's panel of experts",
        access: Access::Study(Role::Viewer),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The panel",
            content: || json(s::panel_list)(),
        },
        errors: &[],
        route: || web::get().to(studies::panel),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/panel",
        operation_id: "importPanel",
        tag: "panel",
        summary: "Add and update experts by email (all or nothing, as `delphi panel import`)",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::panel_input, true)),
        success: Success {
            status: 200,
            description: "What changed",
            content: || json(s::import_summary)(),
        },
        errors: &[400, 413, 415, 422],
        route: || web::post().to(studies::import_panel),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/rounds",
        operation_id: "listRounds",
        tag: "rounds",
        summary: "The study's rounds",
        access: Access::Study(Role::Viewer),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The rounds",
            content: || json(s::round_list)(),
        },
        errors: &[],
        route: || web::get().to(rounds::list),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/rounds",
        operation_id: "openRound",
        tag: "rounds",
        summary: "Open the next round and queue the invitations",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::open_round, false)),
        success: Success {
            status: 201,
            description: "The round opened",
            content: || json(s::opened)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::post().to(rounds::open),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/rounds/current/close",
        operation_id: "closeRound",
        tag: "rounds",
        summary: "Close the open round and compute its results",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The round closed",
            content: || json(s::closed)(),
        },
        errors: &[409],
        route: || web::post().to(rounds::close),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/rounds/current/remind",
        operation_id: "remindRound",
        tag: "rounds",
        summary: "Queue a reminder to every invited expert who has not submitted",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "Reminders queued",
            content: || json(s::reminded)(),
        },
        errors: &[409],
        route: || web::post().to(rounds::remind),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/rounds/next/preview",
        operation_id: "previewRound",
        tag: "rounds",
        summary: "What opening the next round would do (items, invitations), written nowhere",
        access: Access::Study(Role::Viewer),
        params: &[SLUG],
        body: None,
        success: Success {
            status: 200,
            description: "The plan",
            content: || json(s::any_object)(),
        },
        errors: &[409],
        route: || web::get().to(rounds::preview),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/rounds/current/extend",
        operation_id: "extendRound",
        tag: "rounds",
        summary: "Move the open round's deadline later",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::deadline_body, true)),
        success: Success {
            status: 200,
            description: "The new deadline",
            content: || json(s::any_object)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::post().to(rounds::extend),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/rounds/current/resend",
        operation_id: "resendInvitation",
        tag: "rounds",
        summary: "Send an expert's invitation again with a new link (earlier links stop working)",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::email_body, true)),
        success: Success {
            status: 200,
            description: "Resent",
            content: || json(s::any_object)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::post().to(rounds::resend),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/panel/withdraw",
        operation_id: "withdrawExpert",
        tag: "panel",
        summary: "Withdraw an expert: no more emails, their answers stay (idempotent)",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::email_body, true)),
        success: Success {
            status: 200,
            description: "Withdrawn",
            content: || json(s::any_object)(),
        },
        errors: &[400, 413, 415, 422],
        route: || web::post().to(rounds::withdraw),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/panel/erase",
        operation_id: "eraseExpert",
        tag: "panel",
        summary: "Erase an expert on request: identity removed, answers kept under the pseudonym (as `delphi expert erase`)",
        access: Access::Study(Role::Owner),
        params: &[SLUG],
        body: Some((s::erase_body, true)),
        success: Success {
            status: 200,
            description: "Erased",
            content: || json(s::any_object)(),
        },
        errors: &[400, 404, 409, 413, 415, 422],
        route: || web::post().to(rounds::erase),
    },
    Endpoint {
        method: Method::Post,
        path: "/api/v1/studies/{slug}/responses",
        operation_id: "importResponses",
        tag: "rounds",
        summary: "Answers into the open round (all or nothing, as `delphi responses import`)",
        access: Access::Study(Role::Editor),
        params: &[SLUG],
        body: Some((s::responses_input, true)),
        success: Success {
            status: 200,
            description: "What was saved",
            content: || json(s::responses_imported)(),
        },
        errors: &[400, 409, 413, 415, 422],
        route: || web::post().to(rounds::responses),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/results",
        operation_id: "getResults",
        tag: "results",
        summary: "Results of closed rounds",
        access: Access::Study(Role::Viewer),
        params: &[SLUG, ROUND, BY_GROUP, FORMAT],
        body: None,
        success: Success {
            status: 200,
            description: "The results table",
            content: || vec![("application/json", s::results_table()), ("text/csv", s::text())],
        },
        errors: &[400, 409],
        route: || web::get().to(rounds::results),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/stability",
        operation_id: "getStability",
        tag: "results",
        summary: "Stability of each closed round against the one before",
        access: Access::Study(Role::Viewer),
        params: &[SLUG, ROUND, FORMAT],
        body: None,
        success: Success {
            status: 200,
            description: "The stability table",
            content: || {
                vec![
                    ("application/json", s::stability_table()),
                    ("text/csv", s::text()),
                ]
            },
        },
        errors: &[400, 409],
        route: || web::get().to(rounds::stability),
    },
    Endpoint {
        method: Method::Get,
        path: "/api/v1/studies/{slug}/exports/{file}",
        operation_id: "getExport",
        tag: "exports",
        summary: "Download an export file (identified: owners only, audited)",
        access: Access::Study(Role::Viewer),
        params: &[SLUG, FILE, IDENTIFIED],
        body: None,
        success: Success {
            status: 200,
            description: "The file",
            content: || {
                ExportFile::media_types()
                    .into_iter()
                    .map(|media| (media.split(';').next().unwrap_or(media), s::binary()))
                    .collect()
            },
        },
        errors: &[400],
        route: || web::get().to(rounds::export),
    },
];

/// Registers every endpoint of the table, one resource per path, so that another method on a
/// known path is a JSON 405 and an unknown path under `/api/v1` a JSON 404 (never an empty or
/// HTML answer).
pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut paths: Vec<&'static str> = Vec::new();
    for endpoint in ENDPOINTS {
        if !paths.contains(&endpoint.path) {
            paths.push(endpoint.path);
        }
    }
    for path in paths {
        let mut resource = web::resource(path);
        let endpoints: Vec<&'static Endpoint> = ENDPOINTS.iter().filter(|e| e.path == path).collect();
        for endpoint in &endpoints {
            resource = resource.route((endpoint.route)());
        }
        // The path's entries go with its requests, for the extractors that check their access.
        cfg.service(
            resource
                .app_data(PathEndpoints(endpoints))
                .default_service(web::to(method_not_allowed)),
        );
    }
    cfg.service(web::resource("/api/v1/{tail:.*}").to(unknown_path));
}

/// The OpenAPI document of this table.
async fn openapi_json() -> HttpResponse {
    openapi::serve(ENDPOINTS)
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let path = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
    let allowed: Vec<&str> = ENDPOINTS
        .iter()
        .filter(|e| e.path == path)
        .map(|e| match e.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        })
        .collect();
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allowed.join(", ")))
        .json(json!({
            "error": "method_not_allowed",
            "message": format!("{} is not allowed here; use {}", req.method(), allowed.join(" or ")),
        }))
}

async fn unknown_path(req: HttpRequest) -> HttpResponse {
    HttpResponse::NotFound().json(json!({
        "error": "not_found",
        "message": format!("there is no endpoint {}; see /api/v1/openapi.json", req.path()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_and_path_is_one_endpoint() {
        for (i, a) in ENDPOINTS.iter().enumerate() {
            for b in &ENDPOINTS[i + 1..] {
                assert!(
                    !(a.path == b.path && a.method == b.method),
                    "{} {} twice in the route table",
                    a.method.as_str(),
                    a.path
                );
            }
            if let Access::Study(_) = a.access {
                assert!(
                    a.path.contains("{slug}"),
                    "{}: a study endpoint names its study",
                    a.path
                );
            }
        }
    }
}
