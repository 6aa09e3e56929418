/* The declarative system call table (rows in sctab.def). */
#include <stddef.h>
#include <sys/syscall.h>

#include <umview/umcall.h>

#include "sc/sc.h"
#include "sctab.h"

#define __NR_umcall UM_SYSCALL_NR

static const struct sc_row rows[] = {
#define SC(name, fam, fl, h, a0, a1, a2, a3, a4, a5) \
	{ __NR_##name, #name, fam, fl, { a0, a1, a2, a3, a4, a5 }, h },
#include "sctab.def"
#undef SC
};

#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

/* Index by number for the x86-64 range; the management call is apart. */
#define MAXNR 512
static const struct sc_row *bynr[MAXNR];
static const struct sc_row *umcall_row;

static void build_index(void)
{
	int i;

	for (i = 0; i < NROWS; i++)
		if (rows[i].nr >= 0 && rows[i].nr < MAXNR)
			bynr[rows[i].nr] = &rows[i];
		else if (rows[i].nr == UM_SYSCALL_NR)
			umcall_row = &rows[i];
}

const struct sc_row *sctab_lookup(long nr)
{
	static int indexed;

	if (!indexed) {
		build_index();
		indexed = 1;
	}
	if (nr >= 0 && nr < MAXNR)
		return bynr[nr];
	if (nr == UM_SYSCALL_NR)
		return umcall_row;
	return NULL;
}

const struct sc_row *sctab_rows(int *count)
{
	*count = NROWS;
	return rows;
}

bool sctab_has_path(const struct sc_row *row)
{
	int i;

	for (i = 0; i < 6; i++)
		if (row->arg[i] == A_PATH)
			return true;
	return false;
}
