"""Account pages: sign-up, sign-in, sign-out, email confirmation, password reset, settings."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from ..core.i18n import force_language
from ..extensions import db, limiter
from . import services, signins
from .forms import EmailOnlyForm, PasswordForm, ResetForm, SettingsForm, SigninForm, SignupForm

bp = Blueprint("accounts", __name__, template_folder="templates")
NEXT_KEY = "accounts_next"  # where to go after confirming the address (same browser)


def _limit(name: str, default: str):
    """A rate limit read from config at request time (ACCOUNTS_<NAME>_LIMIT)."""
    return limiter.limit(lambda: current_app.config.get(f"ACCOUNTS_{name}_LIMIT", default), methods=["POST"])


def _email_key() -> str:
    raw = (request.form.get("email") or "").strip().lower()
    return "accounts-email:" + hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:32]


def _email_limit(name: str, default: str):
    """A limit per email address, whatever the sender's IP (ACCOUNTS_<NAME>_EMAIL_LIMIT): nobody
    can fill someone's mailbox with reset or "already registered" mail from many addresses."""
    return limiter.limit(
        lambda: current_app.config.get(f"ACCOUNTS_{name}_EMAIL_LIMIT", default),
        methods=["POST"],
        key_func=_email_key,
        scope=f"accounts-email-{name.lower()}",
    )


def safe_next(value: str | None) -> str | None:
    """Only same-site paths: '/en/x?y' yes; '//evil', 'http://evil', '/\\evil' no."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(c in value for c in "\r\n\t\\"):
        return None
    return value


def _see_other(url: str):
    return redirect(url, 303)


def _home_for(user) -> str:
    prof = current_app.extensions["plaza_profile"]
    lang = user.language if user.language in prof.language_tags else g.get("lang")
    return url_for("core.home", lang=lang)


def _language_of(path: str) -> str | None:
    """The language of a same-site path (/cy/…), or the current one."""
    prof = current_app.extensions["plaza_profile"]
    first = urlsplit(path).path.lstrip("/").split("/", 1)[0]
    return first if first in prof.language_tags else g.get("lang")


@bp.route("/accounts/signup", methods=["GET", "POST"])
@_limit("SIGNUP", "5 per minute; 20 per hour")
@_email_limit("SIGNUP", "3 per hour; 10 per day")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignupForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        services.register(form.name.data, form.email.data, form.password.data, g.get("lang"))
        db.session.commit()
        if safe_next(form.next.data):  # e.g. a request draft: back to it once the address is confirmed
            session[NEXT_KEY] = safe_next(form.next.data)
        return _see_other(url_for("accounts.check_email"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/signup.html", form=form), status


@bp.route("/accounts/check-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/accounts/signin", methods=["GET", "POST"])
@_limit("SIGNIN", "10 per minute; 50 per hour")
def signin():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
    form = SigninForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    problem = None
    resend = None
    status = 200
    if form.validate_on_submit():
        outcome, user = services.authenticate(form.email.data, form.password.data)
        if outcome == "ok":
            user.get_id()  # starts this browser's server-side sign-in (accounts/signins.py)
            db.session.commit()  # with a re-hashed password, if argon2's parameters changed
            login_user(user, remember=form.remember.data)
            target = safe_next(form.next.data) or _home_for(user)
            # The message is read on the next page: in that page's language, not this one's.
            with force_language(_language_of(target)):
                flash(_("You are signed in."), "success")
            return _see_other(target)
        db.session.rollback()
        if outcome == "unconfirmed":
            problem = _("Please confirm your email address first: follow the link in the email we sent you.")
            resend = EmailOnlyForm(formdata=None, email=user.email)
            status = 403
        elif outcome == "banned":
            problem = _("This account has been suspended. Please contact the site's team.")
            status = 403
        else:
            problem = _("The email or password is not right. Please try again.")
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template("accounts/signin.html", form=form, problem=problem, resend=resend), status


@bp.route("/accounts/signout", methods=["POST"])
def signout():
    # Everything this browser kept (an FOI draft, where to go after confirming ...) goes with the
    # person: the next one at this computer must not see it. Cleared before logout_user(), which
    # leaves the note that deletes the remember-me cookie.
    if current_user.is_authenticated:  # its cookies, replayed later, open nothing
        signins.end(current_user._get_current_object())
        db.session.commit()
    session.clear()
    logout_user()
    flash(_("You are signed out."), "success")
    return _see_other(url_for("core.home"))


@bp.route("/accounts/signout/everywhere", methods=["POST"])
@login_required
def signout_everywhere():
    """Ends every sign-in of this account: other browsers, a lost phone, a shared computer."""
    ended = signins.end_all(current_user._get_current_object())
    db.session.commit()
    session.clear()
    logout_user()
    flash(
        ngettext("You are signed out on %(num)s browser.", "You are signed out on %(num)s browsers.", ended), "success"
    )
    return _see_other(url_for("core.home"))


@bp.route("/accounts/confirm/<token>")
def confirm(token):
    user = services.user_from_confirm_token(token)
    if user is None:
        return render_template("accounts/token_invalid.html", kind="confirm", form=EmailOnlyForm()), 400
    if services.confirm(user):
        db.session.commit()
        flash(_("Thank you: your email address is confirmed. You can sign in now."), "success")
    else:
        flash(_("Your email address was already confirmed."), "success")
    next_url = safe_next(session.pop(NEXT_KEY, None))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"))
    return redirect(url_for("accounts.signin", next=next_url))


@bp.route("/accounts/confirm/resend", methods=["POST"])
@_limit("RESEND", "5 per minute; 20 per hour")
@_email_limit("RESEND", "3 per hour; 10 per day")
def resend_confirmation():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return render_template("accounts/token_invalid.html", kind="confirm", form=form), 422
    services.resend_confirmation(form.email.data)
    db.session.commit()
    return _see_other(url_for("accounts.check_email"))


@bp.route("/accounts/reset", methods=["GET", "POST"])
@_limit("RESET", "5 per minute; 20 per hour")
@_email_limit("RESET", "3 per hour; 10 per day")
def reset_request():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_reset(form.email.data)
        db.session.commit()
        return _see_other(url_for("accounts.check_email", reset=1))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/accounts/reset/<token>", methods=["GET", "POST"])
@_limit("RESET", "5 per minute; 20 per hour")
def reset(token):
    user = services.user_from_reset_token(token)
    if user is None:
        return render_template("accounts/token_invalid.html", kind="reset", form=EmailOnlyForm()), 400
    form = ResetForm()
    if form.validate_on_submit():
        services.complete_reset(user, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. You can sign in with it now."), "success")
        return _see_other(url_for("accounts.signin"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset.html", form=form, token=token), status


def _settings_forms(profile_form=None, password_form=None):
    prof = current_app.extensions["plaza_profile"]
    profile_form = profile_form or SettingsForm(
        formdata=None,
        name=current_user.name,
        language=current_user.language if current_user.language in prof.language_tags else prof.default_language,
    )
    # Each language by its own name, marked as such (WCAG 3.1.2)
    profile_form.language.choices = [(lang.tag, lang.name, {"lang": lang.tag}) for lang in prof.languages]
    return profile_form, password_form or PasswordForm(formdata=None)


@bp.route("/accounts/settings", methods=["GET", "POST"])
@login_required
def settings():
    profile_form = None
    if request.method == "POST":
        profile_form, _pw = _settings_forms(SettingsForm())
        if profile_form.validate_on_submit():
            current_user.name = services.clean_name(profile_form.name.data)
            current_user.language = profile_form.language.data
            db.session.commit()
            g.user_language = current_user.language
            flash(_("Your settings are saved."), "success")
            return _see_other(url_for("accounts.settings", lang=current_user.language))
    profile_form, password_form = _settings_forms(profile_form)
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/settings.html", form=profile_form, password_form=password_form), status


@bp.route("/accounts/settings/password", methods=["POST"])
@login_required
@_limit("PASSWORD", "10 per hour")
def change_password():
    password_form = PasswordForm()
    if password_form.validate_on_submit():
        if services.check_password(current_user, password_form.current.data):
            services.set_password(current_user, password_form.password.data)
            signins.end_all(current_user._get_current_object(), keep_current=True)
            db.session.commit()
            # Other sessions end with the old password; this one carries on under the new stamp.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. You were signed out everywhere else."), "success")
            return _see_other(url_for("accounts.settings"))
        password_form.current.errors = [_("This is not your current password.")]
    profile_form, password_form = _settings_forms(None, password_form)
    return render_template("accounts/settings.html", form=profile_form, password_form=password_form), 422
