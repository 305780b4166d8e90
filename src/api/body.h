// Request bodies decoded in one step. A handler parses the body once into a `Body` and reads
// each member by name and type; the first member that is missing, of the wrong type or out of
// range is remembered, and `status()` reports it as InvalidArgument naming that member (a 400
// with "field"). Members are only ever read, never looked up through a mutable map, so no
// reference into the body can be moved by a later read.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/fields.h"

namespace jobaid::api {

enum class Need { kOptional, kRequired };

class Body {
 public:
  // Parses `text` as a JSON object; an empty body reads as {}. InvalidArgument naming "body"
  // (and the byte where the JSON breaks) otherwise.
  static absl::StatusOr<Body> Parse(absl::string_view text);

  bool Has(absl::string_view key) const;

  // A string member of at most `max_bytes` bytes. A required one that is absent, null or empty
  // is an error, as is any member that is not a string. Absent optional ones read as "".
  std::string Text(absl::string_view key, Need need, size_t max_bytes = 200);
  // A record id: a positive integer, or its decimal text; 0 when absent and optional.
  int64_t Id(absl::string_view key, Need need);
  // A whole number in [min, max], or its decimal text; `fallback` when absent and optional.
  int64_t Int(absl::string_view key, Need need, int64_t min, int64_t max, int64_t fallback = 0);
  // true/false (or the text "true"/"false"); `fallback` when absent.
  bool Bool(absl::string_view key, bool fallback);
  // An array of record ids (at most `max_items`); errors name key[i].
  std::vector<int64_t> Ids(absl::string_view key, Need need, size_t max_items);
  // The first member whose name is not in `known` is an error naming it.
  void Only(std::initializer_list<absl::string_view> known);

  // Every member as flat text fields for domain validation (domain::FieldReader), as
  // FieldsFromJson makes them; with `members`, an array "members" of objects goes there.
  absl::StatusOr<domain::Fields> AsFields(std::vector<domain::Fields>* members = nullptr) const;

  // OK, or the first problem met by the reads above.
  const absl::Status& status() const { return status_; }

 private:
  explicit Body(boost::json::object o) : o_(std::move(o)) {}
  const boost::json::value* Find(absl::string_view key) const;
  void Fail(absl::string_view field, std::string message);

  boost::json::object o_;
  absl::Status status_;
};

// The body of POST /auth/login.
struct LoginForm {
  std::string username;
  std::string password;
};
absl::StatusOr<LoginForm> DecodeLogin(absl::string_view body);

// The body of a delete or restore: {"version": n, "reason": "…"}. Query parameters of the
// same names fill members the body lacks (a DELETE often carries no body).
struct VersionReason {
  int64_t version = 0;
  std::string reason;
};
absl::StatusOr<VersionReason> DecodeVersionReason(absl::string_view body,
                                                  const std::map<std::string, std::string>& query);

}  // namespace jobaid::api
