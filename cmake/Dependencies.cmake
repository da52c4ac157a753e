# Debian packages only: nlohmann-json3-dev, libcli11-dev, libspdlog-dev, libfmt-dev,
# libseccomp-dev, libcap-dev, libgtest-dev, nettle-dev (SHA-256 of rootfs trees for the pct
# template cache; the kernel's AF_ALG is not available everywhere, and a hash is not worth writing),
# libre2-dev (routing rules match ids and annotations from the bundle: RE2 runs in time linear in
# the input, where std::regex recursed per character and crashed on a 100 KB annotation, and a
# pattern such as (a+)+$ could hang it; a matcher with that guarantee is not worth writing).
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(CAP REQUIRED IMPORTED_TARGET libcap)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# NEXCAGE_STATIC_DEPS: every nexcage command is a short-lived process, and containerd or conmon
# starts several per container, so start-up time is lifecycle overhead. Loading and relocating
# seven shared libraries took 1.4 ms of the 2.8 ms a `nexcage state` took on the development
# VM (as much as the whole work of the command); linked in, they cost nothing at start-up. The
# nexcage binary is a static PIE (glibc and libstdc++ in it too: see CMakeLists.txt); the test
# programs use the shared C++ runtime. spdlog and fmt come header-only (Debian ships no archives
# of them); the other four from the archives their -dev packages ship. debian/rules names their source
# packages in Built-Using, so a security update of one of them is known to need a rebuild.
add_library(nexcage_deps INTERFACE)
if(NEXCAGE_STATIC_DEPS)
  get_target_property(_spdlog_includes spdlog::spdlog INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(nexcage_deps SYSTEM INTERFACE ${_spdlog_includes})
  target_compile_definitions(nexcage_deps INTERFACE SPDLOG_FMT_EXTERNAL)
  target_link_libraries(nexcage_deps INTERFACE fmt::fmt-header-only Threads::Threads)
  foreach(_lib SECCOMP CAP NETTLE RE2)
    string(TOLOWER "lib${_lib}.a" _archive)
    find_library(NEXCAGE_${_lib}_ARCHIVE NAMES ${_archive} HINTS ${${_lib}_LIBRARY_DIRS} REQUIRED
      NO_CACHE)
    target_include_directories(nexcage_deps SYSTEM INTERFACE ${${_lib}_INCLUDE_DIRS})
    target_link_libraries(nexcage_deps INTERFACE ${NEXCAGE_${_lib}_ARCHIVE})
  endforeach()
else()
  target_link_libraries(nexcage_deps INTERFACE spdlog::spdlog fmt::fmt
    PkgConfig::SECCOMP PkgConfig::CAP PkgConfig::NETTLE PkgConfig::RE2)
endif()
