# Man pages and shell completions are generated from the CLI definition the binary parses with
# (src/cli/definition.cpp), by nexcage-docgen (tools/), so they cannot drift from --help.
add_executable(nexcage-docgen tools/nexcage-docgen.cpp)
target_link_libraries(nexcage-docgen PRIVATE nexcage_docgen)
nexcage_warnings(nexcage-docgen)

# Man pages: generated at build time. The directory is emptied first so a removed command's page
# does not linger; nexcage.8 stands for the whole set.
set(NEXCAGE_MAN_DIR ${CMAKE_CURRENT_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${NEXCAGE_MAN_DIR}/nexcage.8
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${NEXCAGE_MAN_DIR}
  COMMAND nexcage-docgen man ${NEXCAGE_MAN_DIR} ${PROJECT_VERSION}
          ${PROJECT_SOURCE_DIR}/docs/configuration.md ${PROJECT_SOURCE_DIR}/docs/backends/pct.md
  DEPENDS nexcage-docgen ${PROJECT_SOURCE_DIR}/docs/configuration.md ${PROJECT_SOURCE_DIR}/docs/backends/pct.md
  COMMENT "Generating man pages")
add_custom_target(man-pages ALL DEPENDS ${NEXCAGE_MAN_DIR}/nexcage.8)

# Completions: checked in under completions/ (readable, installable without a build); a unit
# test fails when they differ from what the definition generates, and this target rewrites them.
set(NEXCAGE_COMPLETIONS
  bash ${PROJECT_SOURCE_DIR}/completions/bash/nexcage
  zsh ${PROJECT_SOURCE_DIR}/completions/zsh/_nexcage
  fish ${PROJECT_SOURCE_DIR}/completions/fish/nexcage.fish)
set(_update_commands)
set(_shells ${NEXCAGE_COMPLETIONS})
while(_shells)
  list(POP_FRONT _shells _shell _file)
  list(APPEND _update_commands COMMAND nexcage-docgen completion ${_shell} --write ${_file})
endwhile()
add_custom_target(update-completions ${_update_commands}
  COMMENT "Regenerating completions/ from the command-line definition")

install(DIRECTORY ${NEXCAGE_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man8
  FILES_MATCHING PATTERN "*.8")
install(DIRECTORY ${NEXCAGE_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man5
  FILES_MATCHING PATTERN "*.5")
install(DIRECTORY ${NEXCAGE_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man7
  FILES_MATCHING PATTERN "*.7")
install(FILES completions/bash/nexcage
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES completions/zsh/_nexcage DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/fish/nexcage.fish
  DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
