//! The OpenAPI 3.1 document, built from the route table the server registers.

use actix_web::http::header;
use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::endpoint::{Access, Endpoint, ParamIn};
use super::schemas;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn describe(status: u16) -> &'static str {
    match status {
        400 => "Malformed request: the body is not JSON, or the query string does not fit",
        401 => "No token, or an unknown or revoked one",
        403 => "The caller has no role in the study, or too small a role",
        404 => "No such study (or export file)",
        409 => "Conflicts with the study's state (a round already open, none open, a slug taken)",
        413 => "The body is too large",
        415 => "The body is not sent as application/json",
        422 => "Well-formed but invalid: `field` names the key path",
        _ => "Error",
    }
}

/// The document of the route table's `endpoints`, as served at `/api/v1/openapi.json`.
pub fn document(endpoints: &[Endpoint]) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for endpoint in endpoints {
        let mut responses = Map::new();
        let content: Map<String, Value> = (endpoint.success.content)()
            .into_iter()
            .map(|(media, schema)| (media.to_owned(), json!({ "schema": schema })))
            .collect();
        responses.insert(
            endpoint.success.status.to_string(),
            json!({ "description": endpoint.success.description, "content": content }),
        );
        let mut statuses: Vec<u16> = endpoint.errors.to_vec();
        match endpoint.access {
            Access::Public => {}
            Access::Token => statuses.push(401),
            Access::Scope(_) => statuses.extend([401, 403]),
            Access::Study(_) => statuses.extend([401, 403, 404]),
        }
        if endpoint.params.iter().any(|p| p.location == ParamIn::Query) {
            statuses.push(400);
        }
        statuses.sort_unstable();
        statuses.dedup();
        for status in statuses {
            responses.insert(status.to_string(), error_response(describe(status)));
        }
        let parameters: Vec<Value> = endpoint
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": match p.location { ParamIn::Path => "path", ParamIn::Query => "query" },
                    "required": p.location == ParamIn::Path,
                    "description": p.description,
                    "schema": (p.schema)(),
                })
            })
            .collect();
        let mut operation = json!({
            "operationId": endpoint.operation_id,
            "tags": [endpoint.tag],
            "summary": endpoint.summary,
            "parameters": parameters,
            "responses": responses,
        });
        let role = match endpoint.access {
            Access::Public => None,
            Access::Token => Some("any valid token".to_owned()),
            Access::Scope(scope) => Some(format!(
                "a token of the `{scope}` scope (`delphi token create --scope {scope}`)"
            )),
            Access::Study(role) => Some(format!("the `{}` role in the study (or higher)", role.as_str())),
        };
        if let Some(role) = role {
            operation["security"] = json!([{ "bearer": [] }]);
            operation["description"] = json!(format!("Needs {role}."));
        } else {
            operation["security"] = json!([]);
        }
        if let Some((schema, required)) = endpoint.body {
            // A body that is not JSON (a raw email) names its media type in its schema.
            let schema = schema();
            let media = schema
                .get("contentMediaType")
                .and_then(Value::as_str)
                .unwrap_or("application/json")
                .to_owned();
            operation["requestBody"] = json!({
                "required": required,
                "content": { media: { "schema": schema } }
            });
        }
        let item = paths.entry(endpoint.path.to_owned()).or_insert_with(|| json!({}));
        item[endpoint.method.as_str()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Delphi API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of the Delphi consensus platform. Authenticate with \
                `Authorization: Bearer TOKEN` (`delphi token create --email EMAIL`). Errors are \
                `{\"error\": code, \"message\": text, \"field\"?: key path}`. See docs/api.md.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": { "Error": schemas::error() }
        },
        "security": [{ "bearer": [] }]
    })
}

pub fn serve(endpoints: &[Endpoint]) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(document(endpoints))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::api::routes::ENDPOINTS;

    #[test]
    fn every_route_is_documented_once_with_its_path_parameters() {
        let doc = document(ENDPOINTS);
        let mut seen = std::collections::BTreeSet::new();
        for endpoint in ENDPOINTS {
            assert!(
                seen.insert((endpoint.path, endpoint.method.as_str())),
                "{} twice",
                endpoint.path
            );
            let op = &doc["paths"][endpoint.path][endpoint.method.as_str()];
            assert_eq!(op["operationId"], endpoint.operation_id);
            for name in endpoint
                .path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
            {
                let params = op["parameters"].as_array().unwrap();
                assert!(
                    params.iter().any(|p| p["name"] == name && p["in"] == "path"),
                    "{} lacks path parameter {name}",
                    endpoint.path
                );
            }
        }
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_object().unwrap().len())
            .sum();
        assert_eq!(documented, ENDPOINTS.len());
    }
}
