/* unit.h - common includes for the cmocka unit tier (pure modules, no privileges). */
#ifndef SUPERVISE_UNIT_H
#define SUPERVISE_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#endif
