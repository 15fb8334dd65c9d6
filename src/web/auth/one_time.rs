//! The one-time links that open an account page: `/setup/{token}` (the first administrator),
//! `/join/{token}` (an invitation) and `/password/reset/{token}`. Their handlers take `Live<K>`,
//! the link of the path while it still works; a dead one (unknown, used or expired) never
//! reaches them: it is answered with `K`'s page saying so, with the status of any guessed token
//! (404, then 429 from an address that keeps guessing; the limit shared with expert links).

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;

use crate::service::{Connection, ServiceError};
use crate::web::error::{AppError, PageError};
use crate::web::{app_state, AppState};

/// One kind of one-time link: what its token leads to and the page a dead one shows.
pub trait OneTime: 'static {
    /// What a live link leads to (the invitation of a join link; nothing more for the others).
    type Found: Send + 'static;

    /// What the store knows of the link `token`: `None` when it is unknown, used or expired.
    fn find(conn: &mut Connection, token: &str) -> Result<Option<Self::Found>, ServiceError>;

    /// The link's page saying it does not work, answered with `status`.
    fn dead_page(req: &HttpRequest, status: StatusCode) -> Result<HttpResponse, PageError>;
}

/// The path's `{token}` while its link works, with what it leads to.
pub struct Live<K: OneTime> {
    pub token: String,
    pub found: K::Found,
}

impl<K: OneTime> FromRequest for Live<K> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req).map_err(PageError)?;
            let Some(token) = req.match_info().get("token").map(str::to_string) else {
                let missing = AppError::internal(anyhow::anyhow!("a one-time link's route has no {{token}}"));
                return Err(PageError(missing).into());
            };
            match state
                .store
                .on_text(&token, K::find)
                .await
                .map_err(PageError::from)?
            {
                Some(found) => Ok(Live { token, found }),
                None => {
                    let response = dead::<K>(&req, &state)
                        .await
                        .unwrap_or_else(|e| e.error_response());
                    Err(actix_web::error::InternalError::from_response("dead link", response).into())
                }
            }
        })
    }
}

/// The answer to a dead link of kind `K`; also for one another browser used up while this
/// one's form was open.
pub async fn dead<K: OneTime>(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, PageError> {
    let status = super::guessed_token_status(req, state).await;
    K::dead_page(req, status)
}
