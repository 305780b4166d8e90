// Sharing a job where the laborers are: a QR code (libqrencode) that opens the job's public
// page, as a PNG, and a poster of the job as SVG to post in a village chat group (the browser
// turns it into a PNG). Only what the job posting itself says appears: no personal data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::io {

// A QR code's modules, row by row; true = dark.
struct QrCode {
  int size = 0;
  std::vector<bool> dark;  // size * size
  bool Dark(int x, int y) const { return dark[static_cast<size_t>(y * size + x)]; }
};

// `text` as a QR code of error-correction level M (15 % of it may be damaged or covered).
// InvalidArgument if it is empty or too long for a QR code.
absl::StatusOr<QrCode> EncodeQr(absl::string_view text);

// The code as a grayscale PNG: `scale` pixels a module and a quiet zone of 4 modules.
std::string QrPng(const QrCode& qr, int scale);

// An SVG path (in module units, quiet zone excluded) drawing the dark modules.
std::string QrSvgPath(const QrCode& qr);

// What a poster says about a job, in display form (Chinese labels, yuan).
struct PosterJob {
  std::string title;
  std::string employer;
  std::string place;               // the workplace region's full name
  std::string wage;                // e.g. "4,500–6,000 元/月"
  std::vector<std::string> perks;  // 包吃, 包住, 接送 …
  std::string openings;            // e.g. "招 5 人"
  std::string description;         // cut to a few lines
  std::string url;                 // the public page the QR code opens
};

// A 1080 x 1440 poster: the job in large type and the QR code to scan.
absl::StatusOr<std::string> JobPosterSvg(const PosterJob& job);

// `text` with &, <, >, " and ' escaped for XML.
std::string XmlEscape(absl::string_view text);

}  // namespace jobaid::io
