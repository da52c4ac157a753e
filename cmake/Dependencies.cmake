# Debian packages only: nlohmann-json3-dev, libcli11-dev, libspdlog-dev, libfmt-dev,
# libseccomp-dev, libcap-dev, libgtest-dev.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(CAP REQUIRED IMPORTED_TARGET libcap)
