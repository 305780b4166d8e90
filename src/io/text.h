// Text encodings of imported files: Chinese Excel saves CSV as GB18030 (GBK), everything else
// as UTF-8 (with or without a byte-order mark).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::io {

// Byte offset of the first invalid UTF-8 sequence, or npos if `s` is valid UTF-8.
size_t FindInvalidUtf8(absl::string_view s);

// Returns `bytes` as UTF-8 without a BOM: unchanged if it is UTF-8, else converted from
// GB18030. InvalidArgument naming the byte offset if it is neither.
absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, std::string* detected = nullptr);

// Converts UTF-8 to GB18030 (for exports that old Excel opens without a wizard).
absl::StatusOr<std::string> Utf8ToGb18030(absl::string_view utf8);

}  // namespace jobaid::io
