#include <string>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  return nexcage::cli::run_app(std::vector<std::string>(argv, argv + argc));
}
