# Runs at install time (install(CODE) in CMakeLists.txt): writes cratonhsm.pc and the p11-kit module
# file for the prefix being installed to, then installs them (file(INSTALL) honours DESTDIR and the
# install manifest). Inputs: CMAKE_INSTALL_PREFIX (the install-time prefix) and the CRATON_* variables
# set by the caller; directories may be relative to the prefix or absolute.
foreach(kind LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CRATON_${kind}}")
    set(CRATON_FULL_${kind} "${CRATON_${kind}}")
  else()
    set(CRATON_FULL_${kind} "${CMAKE_INSTALL_PREFIX}/${CRATON_${kind}}")
  endif()
endforeach()

set(_gen "${CRATON_BINARY_DIR}/install-generated")
configure_file("${CRATON_SOURCE_DIR}/cmake/cratonhsm.pc.in" "${_gen}/cratonhsm.pc" @ONLY)
configure_file("${CRATON_SOURCE_DIR}/cmake/cratonhsm.module.in" "${_gen}/cratonhsm.module" @ONLY)
file(INSTALL "${_gen}/cratonhsm.pc" DESTINATION "${CRATON_FULL_LIBDIR}/pkgconfig")
file(INSTALL "${_gen}/cratonhsm.module" DESTINATION "${CRATON_FULL_DATADIR}/p11-kit/modules")
