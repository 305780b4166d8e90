// Password hashing (argon2id through libsodium's crypto_pwhash_str) and session tokens.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::auth {

// InvalidArgument if the password is shorter than 8 characters.
absl::StatusOr<std::string> HashPassword(absl::string_view password);
bool VerifyPassword(absl::string_view hash, absl::string_view password);

// A new random session token (URL-safe, 43 characters) and the hash the store keeps of it.
std::string NewSessionToken();
std::string HashSessionToken(absl::string_view token);

}  // namespace jobaid::auth
