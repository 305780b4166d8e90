// Status helpers shared by every library: the propagation macros that Abseil's 2022 LTS lacks,
// and JA_CHECK for bugs (never for user input), which stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

#define JA_CONCAT_INNER_(a, b) a##b
#define JA_CONCAT_(a, b) JA_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` yields a non-OK absl::Status.
#define JA_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status ja_status_ = (expr);      \
    if (!ja_status_.ok()) return ja_status_; \
  } while (0)

// `JA_ASSIGN_OR_RETURN(T v, StatusOrExpr)` declares or assigns `v` from an OK StatusOr, else
// returns its status from the enclosing function. (`tmp` and `lhs` name or declare variables,
// which parentheses would break.)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define JA_ASSIGN_OR_RETURN(lhs, rexpr) \
  JA_ASSIGN_OR_RETURN_IMPL_(JA_CONCAT_(ja_statusor_, __LINE__), lhs, rexpr)
#define JA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return std::move(tmp).status();   \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

// Aborts with a message when an internal invariant does not hold. Not for user input.
#define JA_CHECK(cond)                                                                 \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: JA_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace jobaid {

// The payload key under which a Status carries the name of the offending field.
inline constexpr absl::string_view kFieldPayload = "jobaid/field";

// An InvalidArgument status that names `field`, so the API can place the message beside it.
inline absl::Status FieldError(absl::string_view field, absl::string_view message) {
  absl::Status s = absl::InvalidArgumentError(message);
  s.SetPayload(kFieldPayload, absl::Cord(field));
  return s;
}

// Attaches `field` to any status (e.g. a conflict on one field).
inline absl::Status WithField(absl::Status s, absl::string_view field) {
  if (!s.ok()) s.SetPayload(kFieldPayload, absl::Cord(field));
  return s;
}

// The payload key under which a Status carries the seconds a client should wait before trying
// again (HTTP Retry-After).
inline constexpr absl::string_view kRetryAfterPayload = "jobaid/retry_after";

// Attaches a wait of `seconds` to `s`.
inline absl::Status WithRetryAfter(absl::Status s, int64_t seconds) {
  if (!s.ok()) s.SetPayload(kRetryAfterPayload, absl::Cord(std::to_string(seconds)));
  return s;
}

// The seconds a status asks the client to wait, or 0.
inline int64_t RetryAfterOf(const absl::Status& s) {
  auto p = s.GetPayload(kRetryAfterPayload);
  if (!p) return 0;
  std::string text(*p);
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  return end != nullptr && *end == '\0' && v > 0 ? v : 0;
}

// The field a status names, or "" if none.
inline std::string FieldOf(const absl::Status& s) {
  auto p = s.GetPayload(kFieldPayload);
  return p ? std::string(*p) : std::string();
}

// What a message says as a code and named parameters ("too_long", {{"length", "25"},
// {"max", "20"}}), so that a client can say it in its own language; the message text stays for
// the command line and the logs. Codes are lower_snake_case and documented with the API.
struct Reason {
  std::string code;
  std::vector<std::pair<std::string, std::string>> params;

  bool empty() const { return code.empty(); }
  // For a Status payload: any bytes survive the round trip.
  std::string Encode() const;
  static Reason Decode(absl::string_view text);
};

// A list of reasons as one text (each Reason::Encode()d as "<length>:<bytes>"), and back;
// nullopt for text that is not such a list.
std::string EncodeReasons(const std::vector<Reason>& rs);
std::optional<std::vector<Reason>> DecodeReasons(absl::string_view text);

// The payload key under which a Status carries its Reason.
inline constexpr absl::string_view kReasonPayload = "jobaid/reason";

// Attaches `r` to `s` (nothing if `s` is OK or `r` empty).
absl::Status WithReason(absl::Status s, const Reason& r);
// The reason `s` carries; empty if none.
Reason ReasonOf(const absl::Status& s);
// InvalidArgument with `message` and `reason`.
inline absl::Status Invalid(absl::string_view message, const Reason& reason) {
  return WithReason(absl::InvalidArgumentError(message), reason);
}

}  // namespace jobaid
