// Password hashing (argon2id through libsodium's crypto_pwhash_str) and session tokens.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::auth {

// The rules a new password must meet, as NIST SP 800-63B advises (length and a list of
// known passwords, no composition rules): at least 10 characters and at most 128 bytes, not
// one of the passwords most often leaked or guessed (compared without case, digits and signs
// at its ends set aside: "Password123!" is "password"), not digits and signs alone, not
// containing the user name, not one character repeated. InvalidArgument naming "password" and
// saying which rule.
absl::Status CheckNewPassword(absl::string_view password, absl::string_view username);

// InvalidArgument if the password is shorter than 8 characters.
absl::StatusOr<std::string> HashPassword(absl::string_view password);
bool VerifyPassword(absl::string_view hash, absl::string_view password);

// A new random session token (URL-safe, 43 characters) and the hash the store keeps of it.
std::string NewSessionToken();
std::string HashSessionToken(absl::string_view token);

// The CSRF token of a session: a one-way function of its (HttpOnly) token, which the web client
// reads from a cookie of its own and sends back in the X-CSRF-Token header of every request that
// changes something. Another site can send the session cookie, but can read neither cookie.
std::string CsrfToken(absl::string_view session_token);
// Compares two tokens in time that does not depend on where they differ.
bool SameToken(absl::string_view a, absl::string_view b);

}  // namespace jobaid::auth
