# Runs at install time (install(CODE) in CMakeLists.txt), after the module was installed: computes
# the integrity value of the installed module file with craton-module-hmac and installs it beside
# the file (file(INSTALL) honours DESTDIR and the install manifest). Inputs: CMAKE_INSTALL_PREFIX,
# CRATON_LIBDIR (relative to the prefix or absolute), CRATON_MODULE_FILE (the real file name,
# libcratonhsm.so.X.Y.Z), CRATON_MODULE_HMAC_TOOL, CRATON_BINARY_DIR.
if(IS_ABSOLUTE "${CRATON_LIBDIR}")
  set(_libdir "${CRATON_LIBDIR}")
else()
  set(_libdir "${CMAKE_INSTALL_PREFIX}/${CRATON_LIBDIR}")
endif()
set(_installed "$ENV{DESTDIR}${_libdir}/${CRATON_MODULE_FILE}")
set(_gen "${CRATON_BINARY_DIR}/install-generated")
file(MAKE_DIRECTORY "${_gen}")
execute_process(COMMAND "${CRATON_MODULE_HMAC_TOOL}" "${_installed}" "${_gen}/${CRATON_MODULE_FILE}.hmac"
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "craton-module-hmac failed for ${_installed}")
endif()
file(INSTALL "${_gen}/${CRATON_MODULE_FILE}.hmac" DESTINATION "${_libdir}")
