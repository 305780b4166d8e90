// A request body as the API decodes it: JSON parsing, every typed accessor, the flat fields
// of the register's forms, the log-in and delete forms. Errors are fine; crashes, leaks and
// undefined behaviour are not. A decoded body always names its problem's field.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "api/body.h"
#include "common/status.h"

using jobaid::api::Body;
using jobaid::api::Need;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = Body::Parse(text);
  if (!body.ok()) {
    if (jobaid::FieldOf(body.status()) != "body") std::abort();
  } else {
    for (const char* key : {"username", "password", "version", "person_ids", "a", "members"}) {
      (void)body->Has(key);
      (void)body->Text(key, Need::kOptional, 64);
      (void)body->Id(key, Need::kOptional);
      (void)body->Int(key, Need::kOptional, -1000, 1000);
      (void)body->Bool(key, false);
      (void)body->Ids(key, Need::kOptional, 100);
    }
    body->Only({"username", "password"});
    if (!body->status().ok() && jobaid::FieldOf(body->status()).empty()) std::abort();
    std::vector<jobaid::domain::Fields> members;
    auto fields = body->AsFields(&members);
    if (!fields.ok() && jobaid::FieldOf(fields.status()).empty()) std::abort();
  }
  (void)jobaid::api::DecodeLogin(text);
  (void)jobaid::api::DecodeVersionReason(text, {{"version", "3"}, {"reason", "x"}});
  return 0;
}
