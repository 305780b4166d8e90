#include "io/text.h"

#include <iconv.h>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace jobaid::io {
namespace {

absl::StatusOr<std::string> Convert(absl::string_view in, const char* from, const char* to,
                                    absl::string_view what) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InternalError(absl::StrFormat("iconv cannot convert %s to %s", from, to));
  }
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        size_t used = static_cast<size_t>(dst - out.data());
        out.resize(out.size() * 2);
        dst = out.data() + used;
        dst_left = out.size() - used;
        continue;
      }
      size_t at = static_cast<size_t>(src - in.data());
      iconv_close(cd);
      return absl::InvalidArgumentError(absl::StrFormat(
          "byte %d of the file (0x%02x) is not valid %s; save the file as UTF-8 or GB18030", at,
          static_cast<unsigned char>(in[at]), what));
    }
  }
  iconv_close(cd);
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

}  // namespace

size_t FindInvalidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return absl::string_view::npos;
}

absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, std::string* detected) {
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (FindInvalidUtf8(bytes) == absl::string_view::npos) {
    if (detected) *detected = "UTF-8";
    return std::string(bytes);
  }
  if (detected) *detected = "GB18030";
  return Convert(bytes, "GB18030", "UTF-8", "UTF-8 or GB18030 text");
}

absl::StatusOr<std::string> Utf8ToGb18030(absl::string_view utf8) {
  return Convert(utf8, "UTF-8", "GB18030", "UTF-8");
}

}  // namespace jobaid::io
