#include "api/api.h"

namespace jobaid::api {

// kOpenApiJson is generated at build time from api/openapi.json.
extern const unsigned char kOpenApiJson[];
extern const size_t kOpenApiJsonSize;

absl::string_view OpenApiDocument() {
  return absl::string_view(reinterpret_cast<const char*>(kOpenApiJson), kOpenApiJsonSize);
}

}  // namespace jobaid::api
