// Serves the built web front end (web/dist) for every path outside /api/, with the single-page
// app's index.html for paths that are not files. Without a build, a small page that points to
// the API. Text files go gzip-compressed to clients that accept it (`accepts_gzip`), each
// compressed once per version of the file and kept in memory. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "api/router.h"

namespace jobaid::api {

// The file under `root` that the decoded request path `path` names, with links followed, or
// nullopt when the path could leave `root` or names no plain file of a built front end: it must
// start with "/", and no segment may be empty (except a trailing one), start with a dot, or hold
// a backslash, ';', ':', NUL or another control byte. Once symbolic links are followed as far as
// the path exists, it must still lie inside `root`. The file need not exist (the caller then
// serves index.html).
std::optional<std::filesystem::path> ResolveStaticPath(const std::filesystem::path& root,
                                                       absl::string_view path);

Response ServeStatic(const std::string& dir, const std::string& path, bool accepts_gzip);

}  // namespace jobaid::api
