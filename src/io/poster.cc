#include "io/poster.h"

#include <qrencode.h>
#include <zlib.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jobaid::io {
namespace {

constexpr int kQuietZone = 4;  // modules of white around the code, as the standard asks

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// One PNG chunk: length, type, data, CRC of type and data.
void PutChunk(std::string& out, const char type[4], const std::string& data) {
  PutU32(out, static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  out += body;
  PutU32(out, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                          static_cast<uInt>(body.size()))));
}

// The display width of a UTF-8 code point starting at `s[i]` (2 for CJK and full-width forms,
// 1 otherwise) and its length in bytes.
std::pair<int, int> Glyph(absl::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
  if (i + static_cast<size_t>(len) > s.size()) len = 1;
  uint32_t cp = c;
  if (len > 1) {
    cp = c & (0xff >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  }
  return {cp >= 0x2e80 ? 2 : 1, len};
}

// The display width of `s` in columns (CJK characters take two).
int DisplayWidth(absl::string_view s) {
  int w = 0;
  for (size_t i = 0; i < s.size();) {
    auto [gw, len] = Glyph(s, i);
    w += gw;
    i += static_cast<size_t>(len);
  }
  return w;
}

// `text` broken into lines of at most `width` display columns, at most `max_lines` of them
// (the last ending in "…" when text was left out). Line breaks in the text are kept.
std::vector<std::string> Wrap(absl::string_view text, int width, int max_lines) {
  std::vector<std::string> lines(1);
  int used = 0;
  bool cut = false;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\n' || text[i] == '\r') {
      if (!lines.back().empty()) {
        lines.emplace_back();
        used = 0;
      }
      ++i;
      continue;
    }
    auto [w, len] = Glyph(text, i);
    if (used + w > width) {
      lines.emplace_back();
      used = 0;
    }
    if (static_cast<int>(lines.size()) > max_lines) {
      cut = true;
      break;
    }
    lines.back().append(text.data() + i, static_cast<size_t>(len));
    used += w;
    i += static_cast<size_t>(len);
  }
  if (lines.back().empty()) lines.pop_back();
  if (static_cast<int>(lines.size()) > max_lines) lines.resize(static_cast<size_t>(max_lines));
  if (cut && !lines.empty()) lines.back() += "…";
  return lines;
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<QrCode> EncodeQr(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("nothing to put in a QR code");
  std::string data(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (code == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("a QR code cannot hold these ", text.size(), " bytes"));
  }
  QrCode out;
  out.size = code->width;
  out.dark.resize(static_cast<size_t>(code->width * code->width));
  for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (code->data[i] & 1) != 0;
  return out;
}

std::string QrPng(const QrCode& qr, int scale) {
  const int side = (qr.size + 2 * kQuietZone) * scale;
  std::string raw;
  raw.reserve(static_cast<size_t>(side * (side + 1)));
  for (int y = 0; y < side; ++y) {
    raw.push_back('\0');  // filter: none
    int my = y / scale - kQuietZone;
    for (int x = 0; x < side; ++x) {
      int mx = x / scale - kQuietZone;
      bool dark = mx >= 0 && my >= 0 && mx < qr.size && my < qr.size && qr.Dark(mx, my);
      raw.push_back(dark ? '\0' : '\xff');
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
            reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9);
  packed.resize(packed_size);

  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  PutU32(ihdr, static_cast<uint32_t>(side));
  PutU32(ihdr, static_cast<uint32_t>(side));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grayscale, deflate, no interlace
  PutChunk(png, "IHDR", ihdr);
  PutChunk(png, "IDAT", packed);
  PutChunk(png, "IEND", "");
  return png;
}

std::string QrSvgPath(const QrCode& qr) {
  std::string d;
  // One horizontal run of dark modules per rectangle keeps the path short.
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size;) {
      if (!qr.Dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < qr.size && qr.Dark(x + run, y)) ++run;
      absl::StrAppend(&d, "M", x, " ", y, "h", run, "v1h-", run, "z");
      x += run;
    }
  }
  return d;
}

absl::StatusOr<std::string> JobPosterSvg(const PosterJob& job) {
  auto qr = EncodeQr(job.url);
  if (!qr.ok()) return qr.status();
  constexpr int kWidth = 1080, kHeight = 1440, kQrSide = 420;
  const double module = static_cast<double>(kQrSide) / qr->size;
  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", kWidth, "\" height=\"", kHeight,
      "\" viewBox=\"0 0 ", kWidth, " ", kHeight, "\" font-family=\"'Noto Sans CJK SC', ",
      "'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif\">\n",
      "<rect width=\"100%\" height=\"100%\" fill=\"#f4f7fb\"/>\n",
      "<rect width=\"100%\" height=\"200\" fill=\"#1d5fd6\"/>\n",
      "<text x=\"64\" y=\"92\" font-size=\"40\" fill=\"#fff\" opacity=\"0.9\">就业帮扶 · "
      "岗位招聘</text>\n",
      "<text x=\"64\" y=\"160\" font-size=\"36\" fill=\"#fff\">", XmlEscape(job.employer),
      "</text>\n");
  int y = 300;
  for (const std::string& line : Wrap(job.title, 28, 2)) {
    absl::StrAppend(&svg, "<text x=\"64\" y=\"", y,
                    "\" font-size=\"68\" font-weight=\"700\" fill=\"#1f2d3d\">", XmlEscape(line),
                    "</text>\n");
    y += 86;
  }
  y += 10;
  absl::StrAppend(&svg, "<text x=\"64\" y=\"", y, "\" font-size=\"60\" font-weight=\"700\" ",
                  "fill=\"#e8590c\">", XmlEscape(job.wage), "</text>\n");
  y += 70;
  absl::StrAppend(
      &svg, "<text x=\"64\" y=\"", y, "\" font-size=\"36\" fill=\"#4a5868\">",
      XmlEscape(absl::StrCat(job.place, job.openings.empty() ? "" : " · ", job.openings)),
      "</text>\n");
  y += 40;
  int x = 64;
  for (const std::string& perk : job.perks) {
    int w = DisplayWidth(perk) * 16 + 24;  // 32 px type: 16 px a column
    absl::StrAppend(&svg, "<rect x=\"", x, "\" y=\"", y, "\" rx=\"12\" width=\"", w,
                    "\" height=\"56\" fill=\"#e7f5ec\"/><text x=\"", x + 12, "\" y=\"", y + 40,
                    "\" font-size=\"32\" fill=\"#1b7f3b\">", XmlEscape(perk), "</text>\n");
    x += w + 16;
  }
  if (!job.perks.empty()) y += 80;
  for (const std::string& line : Wrap(job.description, 56, 4)) {
    y += 46;
    absl::StrAppend(&svg, "<text x=\"64\" y=\"", y, "\" font-size=\"32\" fill=\"#4a5868\">",
                    XmlEscape(line), "</text>\n");
  }
  const int qx = (kWidth - kQrSide) / 2, qy = kHeight - kQrSide - 170;
  absl::StrAppend(&svg, "<rect x=\"", qx - 30, "\" y=\"", qy - 30, "\" width=\"", kQrSide + 60,
                  "\" height=\"", kQrSide + 60, "\" rx=\"24\" fill=\"#fff\"/>\n",
                  "<path transform=\"translate(", qx, " ", qy, ") scale(", module, ")\" d=\"",
                  QrSvgPath(*qr), "\" fill=\"#000\"/>\n", "<text x=\"", kWidth / 2, "\" y=\"",
                  kHeight - 80, "\" font-size=\"36\" fill=\"#1f2d3d\" text-anchor=\"middle\">",
                  "微信扫码查看岗位详情，找村帮扶干部报名</text>\n", "</svg>\n");
  return svg;
}

}  // namespace jobaid::io
