// Serves the built web front end (web/dist) for every path outside /api/, with the single-page
// app's index.html for paths that are not files. Without a build, a small page that points to
// the API. Text files go gzip-compressed to clients that accept it (`accepts_gzip`), each
// compressed once per version of the file and kept in memory. Thread-safe.
#pragma once

#include <string>

#include "api/router.h"

namespace jobaid::api {

Response ServeStatic(const std::string& dir, const std::string& path, bool accepts_gzip);

}  // namespace jobaid::api
