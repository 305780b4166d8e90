# Writes OUT, a C++ file defining `std::string_view NAMESPACE::FUNCTION()` that returns the
# bytes of FILE, so that data files ship inside the binary.
file(READ "${FILE}" content)
file(WRITE "${OUT}.tmp" "// Generated from ${FILE}; do not edit.\n#include <string_view>\n\nnamespace ${NAMESPACE} {\n\nstd::string_view ${FUNCTION}() {\n  return R\"jobaid_data(${content})jobaid_data\";\n}\n\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
