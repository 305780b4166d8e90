# Dependencies, warnings and sanitizers in one place, and the helpers every folder uses:
#   jobaid_library(NAME x SRCS ... DEPS ...)  -> target jobaid_x, alias jobaid::x
#   jobaid_test(NAME x SRCS ... DEPS ... [LABELS ...]) -> a GoogleTest executable run by CTest
include_guard(GLOBAL)

find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url system)
find_package(absl REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)
find_package(lemon REQUIRED CONFIG)  # Debian's liblemon-dev: LEMON_INCLUDE_DIRS, LEMON_LIBRARIES
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)

add_library(jobaid_options INTERFACE)
# -Wno-restrict: g++ 12 at -O3 reports false positives inside std::string (GCC bug 105329).
target_compile_options(jobaid_options INTERFACE -Wall -Wextra -Wpedantic -Werror
                       -Wno-missing-field-initializers -Wno-restrict)
target_compile_definitions(jobaid_options INTERFACE BOOST_ASIO_NO_DEPRECATED)
if(JOBAID_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(jobaid_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(jobaid_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(jobaid::${ARG_NAME} ALIAS jobaid_${ARG_NAME})
  # The layering, enforced: a library's include path holds its own folder and, through the
  # targets it links, the folders of what it depends on, and nothing else (each library's folder
  # is linked alone into a directory of its own under the build tree). An include against the
  # dependency direction does not compile.
  set(stage ${CMAKE_BINARY_DIR}/include/${ARG_NAME})
  file(MAKE_DIRECTORY ${stage})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${ARG_NAME} ${stage}/${ARG_NAME} SYMBOLIC)
  target_include_directories(jobaid_${ARG_NAME} PUBLIC ${stage})
  target_link_libraries(jobaid_${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE jobaid_options)
endfunction()

function(jobaid_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main
                        jobaid_options)
  target_compile_definitions(${ARG_NAME} PRIVATE
    JOBAID_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    JOBAID_REGIONS_FILE="${JOBAID_REGIONS_FILE}"
    JOBAID_BINARY="${CMAKE_BINARY_DIR}/src/jobaid")
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  if(ARG_LABELS)
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
