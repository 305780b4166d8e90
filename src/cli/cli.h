// The `jobaid` command line: serve, demo, import, export, user, migrate, regions.
#pragma once

namespace jobaid::cli {

// Parses the arguments, runs the sub-command and returns the process exit code.
int Run(int argc, char** argv);

}  // namespace jobaid::cli
