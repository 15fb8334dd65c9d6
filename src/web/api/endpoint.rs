//! What an entry of the API's route table (`routes::ENDPOINTS`) says of an endpoint: its
//! method, path, access, parameters and answers. Apart from the table, which names every
//! handler, so that the extractors the handlers use can read an endpoint's access without
//! importing the handlers back.

use actix_web::{HttpRequest, Route};
use serde_json::Value;

use crate::domain::role::Role;
use crate::domain::token::TokenScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Delete => "delete",
            Method::Patch => "patch",
        }
    }
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed.
    Public,
    /// Any valid token.
    Token,
    /// A token whose facilitator has at least this role in the study.
    Study(Role),
    /// A token of this scope (and no other): `bounces` tokens hand over bounces only.
    Scope(TokenScope),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
}

pub struct Param {
    pub name: &'static str,
    pub location: ParamIn,
    pub description: &'static str,
    pub schema: fn() -> Value,
}

/// What a successful call answers.
pub struct Success {
    pub status: u16,
    pub description: &'static str,
    /// Media type and schema of each representation.
    pub content: fn() -> Vec<(&'static str, Value)>,
}

pub struct Endpoint {
    pub method: Method,
    /// The actix path, which is also the OpenAPI path template (`{slug}`).
    pub path: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub access: Access,
    pub params: &'static [Param],
    /// The body's schema and whether it is required.
    pub body: Option<(fn() -> Value, bool)>,
    pub success: Success,
    /// Statuses of the errors this endpoint can answer besides 401/403/404 of the access check.
    pub errors: &'static [u16],
    pub route: fn() -> Route,
}

/// The table's entries of one path, which its resource carries as app data (`routes::configure`).
pub struct PathEndpoints(pub Vec<&'static Endpoint>);

/// The route table's entry for a request the router matched.
pub fn endpoint_of(req: &HttpRequest) -> Option<&'static Endpoint> {
    let method = req.method().as_str();
    req.app_data::<PathEndpoints>()?
        .0
        .iter()
        .copied()
        .find(|e| e.method.as_str().eq_ignore_ascii_case(method))
}
