#include "cli/cli.h"

int main(int argc, char** argv) { return jobaid::cli::Run(argc, argv); }
