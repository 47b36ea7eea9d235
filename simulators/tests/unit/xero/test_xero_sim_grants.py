"""Xero's tokens: codes with PKCE, refresh tokens single-use and rotated with a 30-minute
grace, access tokens of 30 minutes, revocation."""

from __future__ import annotations

import pytest

from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.common.oauth import (
    Client,
    GrantStore,
    OAuthError,
    TokenExpired,
    TokenUnknown,
    pkce_challenge,
)
from tillflow_simulators.xero.identity import XERO_LIFETIMES

REDIRECT = "https://till.example/xero"


def store() -> tuple[GrantStore, FakeClock]:
    clock = FakeClock()
    grants = GrantStore(clock=clock, lifetimes=XERO_LIFETIMES)
    grants.register_client(Client("app", "secret", (REDIRECT,)))
    return grants, clock


def test_pkce_code_needs_the_verifier_and_is_single_use() -> None:
    grants, _ = store()
    consent = grants.grant(client_id="app", scopes=("offline_access",), reach={})
    verifier = "a-verifier-of-the-length-rfc7636-asks-for-1234567890"
    code = grants.authorize(consent=consent, redirect_uri=REDIRECT,
                            code_challenge=pkce_challenge(verifier), code_challenge_method="S256")
    with pytest.raises(OAuthError) as wrong:
        grants.exchange_code(client_id="app", client_secret=None, code=code,
                             redirect_uri=REDIRECT, code_verifier="another-verifier")
    assert wrong.value.error == "invalid_grant"
    code = grants.authorize(consent=consent, redirect_uri=REDIRECT,
                            code_challenge=pkce_challenge(verifier), code_challenge_method="S256")
    tokens = grants.exchange_code(client_id="app", client_secret=None, code=code,
                                  redirect_uri=REDIRECT, code_verifier=verifier)
    assert tokens.expires_in == 1800
    with pytest.raises(OAuthError):
        grants.exchange_code(client_id="app", client_secret=None, code=code,
                             redirect_uri=REDIRECT, code_verifier=verifier)


def test_a_spent_refresh_token_answers_its_successor_for_30_minutes_then_is_refused() -> None:
    grants, clock = store()
    first = grants.issue(grants.grant(client_id="app", scopes=(), reach={}).consent_id)
    second = grants.refresh(client_id="app", client_secret="secret",
                            refresh_token=first.refresh_token)
    assert second.refresh_token != first.refresh_token
    clock.advance(minutes=29)
    assert grants.refresh(client_id="app", client_secret="secret",
                          refresh_token=first.refresh_token) == second
    clock.advance(minutes=2)
    with pytest.raises(OAuthError) as refused:
        grants.refresh(client_id="app", client_secret="secret", refresh_token=first.refresh_token)
    assert refused.value.error == "invalid_grant"


def test_once_the_successor_is_used_the_grace_ends() -> None:
    grants, _ = store()
    first = grants.issue(grants.grant(client_id="app", scopes=(), reach={}).consent_id)
    second = grants.refresh(client_id="app", client_secret="secret",
                            refresh_token=first.refresh_token)
    grants.refresh(client_id="app", client_secret="secret", refresh_token=second.refresh_token)
    with pytest.raises(OAuthError):
        grants.refresh(client_id="app", client_secret="secret", refresh_token=first.refresh_token)


def test_access_tokens_expire_after_30_minutes_and_with_their_revoked_consent() -> None:
    grants, clock = store()
    tokens = grants.issue(grants.grant(client_id="app", scopes=(), reach={}).consent_id)
    assert grants.consent_for(tokens.access_token).consent_id == tokens.consent_id
    clock.advance(minutes=30)
    with pytest.raises(TokenExpired):
        grants.consent_for(tokens.access_token)
    fresh = grants.refresh(client_id="app", client_secret="secret",
                           refresh_token=tokens.refresh_token)
    assert grants.revoke(fresh.refresh_token)
    with pytest.raises(TokenUnknown):
        grants.consent_for(fresh.access_token)
    with pytest.raises(OAuthError):
        grants.refresh(client_id="app", client_secret="secret", refresh_token=fresh.refresh_token)


def test_a_wrong_client_secret_is_invalid_client() -> None:
    grants, _ = store()
    tokens = grants.issue(grants.grant(client_id="app", scopes=(), reach={}).consent_id)
    with pytest.raises(OAuthError) as refused:
        grants.refresh(client_id="app", client_secret="nope", refresh_token=tokens.refresh_token)
    assert refused.value.error == "invalid_client"
