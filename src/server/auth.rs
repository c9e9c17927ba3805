//! The write token: every request that changes the store carries it, as
//! `Authorization: Bearer TOKEN` or `X-Annals-Token: TOKEN`.

use super::error::ApiError;
use super::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::sync::Arc;

/// Proof that the request carried the server's token. Put it in a handler's arguments.
#[derive(Debug, Clone, Copy)]
pub struct Authorized;

impl FromRequestParts<Arc<AppState>> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let h = &parts.headers;
        let given = h
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| h.get("x-annals-token").and_then(|v| v.to_str().ok()));
        match given {
            None => Err(ApiError::unauthorized(
                "this request changes the store and needs the write token (Authorization: Bearer TOKEN); `annals serve` printed it at start",
            )),
            Some(t) if state.token_ok(t.trim()) => Ok(Authorized),
            Some(_) => Err(ApiError::unauthorized("the write token is wrong")),
        }
    }
}
