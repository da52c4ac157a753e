# Debian packages only: nlohmann-json3-dev, libcli11-dev, libspdlog-dev, libfmt-dev,
# libseccomp-dev, libcap-dev, libgtest-dev, nettle-dev (SHA-256 of rootfs trees for the pct
# template cache; the kernel's AF_ALG is not available everywhere, and a hash is not worth writing).
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(CAP REQUIRED IMPORTED_TARGET libcap)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
