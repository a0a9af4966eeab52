// leptonsim: the command-line entry point (see commands.cpp).
#include "tools/leptonsim/commands.hpp"

int main(int argc, char** argv)
{
  return leptonsim::cli::main(argc, argv);
}
