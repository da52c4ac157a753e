# One library per layer (docs/architecture.md, "Layers"). A layer's include root holds symlinks to
# exactly its own headers, and only layer roots are on any include path, so a source sees the
# headers of the layers it links and no others: an include across an edge the table below does
# not allow fails with "No such file". scripts/check-layers.sh covers what CMake cannot see (a
# lower layer's header reached through a higher layer's public one, names, third-party headers).
set(NEXCAGE_LAYER_ROOT ${CMAKE_BINARY_DIR}/layers)
# Rebuilt at every configure, so a removed or moved header leaves no link behind.
file(REMOVE_RECURSE ${NEXCAGE_LAYER_ROOT})

# nexcage_layer(<target> [INTERFACE] PREFIX <dir under the root> HEADERS <glob>...
#               [SOURCES <glob>...] [EXCLUDE <file>...])
function(nexcage_layer target)
  cmake_parse_arguments(L "INTERFACE" "PREFIX" "SOURCES;HEADERS;EXCLUDE" ${ARGN})
  file(GLOB headers CONFIGURE_DEPENDS ${L_HEADERS})
  set(root ${NEXCAGE_LAYER_ROOT}/${target})
  file(MAKE_DIRECTORY ${root}/${L_PREFIX})
  foreach(header ${headers})
    if(NOT header IN_LIST L_EXCLUDE)
      get_filename_component(name ${header} NAME)
      file(CREATE_LINK ${header} ${root}/${L_PREFIX}/${name} SYMBOLIC)
    endif()
  endforeach()
  if(L_INTERFACE)
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${root})
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${L_SOURCES})
  if(L_EXCLUDE)
    list(REMOVE_ITEM sources ${L_EXCLUDE})
  endif()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${root})
  nexcage_warnings(${target})
  nexcage_fuzz_instrument(${target})
  nexcage_unity(${target})
endfunction()

set(I ${PROJECT_SOURCE_DIR}/include/nexcage)
set(S ${PROJECT_SOURCE_DIR}/src)

# Each layer links what it may use: PUBLIC where its own headers include that layer's, PRIVATE
# where only its sources do. The order is the layering, lowest first.
nexcage_layer(nexcage_core PREFIX nexcage/core HEADERS ${I}/core/*.hpp SOURCES ${S}/core/*.cpp)
target_sources(nexcage_core PRIVATE ${NEXCAGE_BUILD_INFO})
add_dependencies(nexcage_core nexcage_build_info)
include(GNUInstallDirs)
# Where `cmake --install` puts the pct helpers and the config file, so a source install under
# /usr/local (scripts/quickstart.sh) finds them; the .deb is built with the /usr prefix, for which
# GNUInstallDirs gives /usr/libexec and /etc.
target_compile_definitions(nexcage_core PUBLIC
  NEXCAGE_VERSION="${PROJECT_VERSION}"
  NEXCAGE_LIBEXEC_DIR="${CMAKE_INSTALL_FULL_LIBEXECDIR}/nexcage"
  NEXCAGE_SYSCONF_DIR="${CMAKE_INSTALL_FULL_SYSCONFDIR}/nexcage")
target_link_libraries(nexcage_core PUBLIC nlohmann_json::nlohmann_json nexcage_deps)

nexcage_layer(nexcage_fs PREFIX nexcage/fs HEADERS ${I}/fs/*.hpp SOURCES ${S}/fs/*.cpp)
target_link_libraries(nexcage_fs PUBLIC nexcage_core)

nexcage_layer(nexcage_process PREFIX nexcage/process HEADERS ${I}/process/*.hpp SOURCES ${S}/process/*.cpp)
target_link_libraries(nexcage_process PUBLIC nexcage_core PRIVATE nexcage_fs)

nexcage_layer(nexcage_cgroup PREFIX nexcage/cgroup HEADERS ${I}/cgroup/*.hpp SOURCES ${S}/cgroup/*.cpp)
target_link_libraries(nexcage_cgroup PUBLIC nexcage_core PRIVATE nexcage_fs)

nexcage_layer(nexcage_oci PREFIX nexcage/oci HEADERS ${I}/oci/*.hpp SOURCES ${S}/oci/*.cpp)
target_link_libraries(nexcage_oci PUBLIC nexcage_core PRIVATE nexcage_fs)

# Registry images: the local image store, skopeo pulls, OCI layouts, image config -> config.json.
nexcage_layer(nexcage_images PREFIX nexcage/images HEADERS ${I}/images/*.hpp SOURCES ${S}/images/*.cpp)
target_link_libraries(nexcage_images PUBLIC nexcage_fs nexcage_process PRIVATE nexcage_oci)

# Operation metrics of a state root: the journal many processes append to, its totals, the
# Prometheus text format.
nexcage_layer(nexcage_metrics PREFIX nexcage/metrics HEADERS ${I}/metrics/*.hpp SOURCES ${S}/metrics/*.cpp)
target_link_libraries(nexcage_metrics PUBLIC nexcage_core PRIVATE nexcage_fs)

nexcage_layer(nexcage_state PREFIX nexcage/state HEADERS ${I}/state/*.hpp SOURCES ${S}/state/*.cpp)
target_link_libraries(nexcage_state PUBLIC nexcage_fs)

nexcage_layer(nexcage_backend_config INTERFACE PREFIX nexcage/backend HEADERS ${I}/backend/backend_config.hpp)
target_link_libraries(nexcage_backend_config INTERFACE nlohmann_json::nlohmann_json)

nexcage_layer(nexcage_router PREFIX nexcage/router HEADERS ${I}/router/*.hpp SOURCES ${S}/router/*.cpp)
target_link_libraries(nexcage_router PUBLIC nexcage_core nexcage_backend_config PRIVATE nexcage_fs)

# The Backend API: what lifecycle/ calls and the drivers implement.
nexcage_layer(nexcage_backend PREFIX nexcage/backend HEADERS ${I}/backend/*.hpp SOURCES ${S}/backend/*.cpp
  EXCLUDE ${I}/backend/backend_config.hpp ${I}/backend/registry.hpp ${S}/backend/registry.cpp)
target_link_libraries(nexcage_backend PUBLIC nexcage_backend_config nexcage_oci nexcage_process nexcage_cgroup
  nexcage_state)

nexcage_layer(nexcage_backend_oci_cli PREFIX nexcage/backend/oci_cli
  HEADERS ${I}/backend/oci_cli/*.hpp SOURCES ${S}/backend/oci_cli/*.cpp)
target_link_libraries(nexcage_backend_oci_cli PUBLIC nexcage_backend PRIVATE nexcage_fs)

# What nexcage-init and nexcage-monitor share with the pct driver: wire formats, std only.
nexcage_layer(nexcage_pct_protocol INTERFACE PREFIX nexcage/backend/pct
  HEADERS ${I}/backend/pct/init_protocol.hpp ${I}/backend/pct/stdio_protocol.hpp)

nexcage_layer(nexcage_backend_pct PREFIX nexcage/backend/pct
  HEADERS ${I}/backend/pct/*.hpp SOURCES ${S}/backend/pct/*.cpp
  EXCLUDE ${I}/backend/pct/init_protocol.hpp ${I}/backend/pct/stdio_protocol.hpp)
target_link_libraries(nexcage_backend_pct PUBLIC nexcage_backend nexcage_fs nexcage_pct_protocol)

# The one place that knows every driver.
nexcage_layer(nexcage_backends PREFIX nexcage/backend
  HEADERS ${I}/backend/registry.hpp SOURCES ${S}/backend/registry.cpp)
target_link_libraries(nexcage_backends PUBLIC nexcage_backend PRIVATE nexcage_backend_oci_cli nexcage_backend_pct)

nexcage_layer(nexcage_lifecycle PREFIX nexcage/lifecycle HEADERS ${I}/lifecycle/*.hpp SOURCES ${S}/lifecycle/*.cpp)
target_link_libraries(nexcage_lifecycle PUBLIC nexcage_backend nexcage_router nexcage_state nexcage_process
  PRIVATE nexcage_backends nexcage_oci nexcage_fs nexcage_images nexcage_metrics)

# doctor reads pct's own files (VMID map, ownership marks, templates) to check them.
nexcage_layer(nexcage_doctor PREFIX nexcage/doctor HEADERS ${I}/doctor/*.hpp SOURCES ${S}/doctor/*.cpp)
target_link_libraries(nexcage_doctor PUBLIC nexcage_process nexcage_router
  PRIVATE nexcage_state nexcage_fs nexcage_backend_pct nexcage_images)

nexcage_layer(nexcage_cli PREFIX cli HEADERS ${S}/cli/*.hpp SOURCES ${S}/cli/*.cpp EXCLUDE ${S}/cli/main.cpp)
target_link_libraries(nexcage_cli PUBLIC nexcage_lifecycle CLI11::CLI11 PRIVATE nexcage_doctor nexcage_router)

nexcage_layer(nexcage_docgen PREFIX docgen HEADERS ${S}/docgen/*.hpp SOURCES ${S}/docgen/*.cpp)
target_link_libraries(nexcage_docgen PUBLIC CLI11::CLI11 nexcage_core PRIVATE nexcage_cli)

# Tests and fuzzers see everything.
add_library(nexcage_all INTERFACE)
target_link_libraries(nexcage_all INTERFACE nexcage_core nexcage_fs nexcage_process nexcage_cgroup nexcage_oci
  nexcage_images nexcage_metrics nexcage_state
  nexcage_backend_config nexcage_router nexcage_backend nexcage_backend_oci_cli nexcage_pct_protocol
  nexcage_backend_pct nexcage_backends nexcage_lifecycle nexcage_doctor nexcage_cli nexcage_docgen)
