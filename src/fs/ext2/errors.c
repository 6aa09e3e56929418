/* umfuseext2: libext2fs error codes turned into errno values. */
#include <errno.h>
#include "ext2fuse.h"

/*
 * libext2fs returns either a plain errno (from the I/O layer or malloc) or
 * one of its com_err codes.  Anything that is not a well-understood
 * condition means damaged metadata or a failing image: EIO, so that a
 * corrupted image never looks like an ordinary "file not found".
 */
int e2f_errno(errcode_t err)
{
	if (err == 0)
		return 0;
	if (err > 0 && err < 4096)
		return (int)err;
	switch (err) {
	case EXT2_ET_FILE_NOT_FOUND:
		return ENOENT;
	case EXT2_ET_NO_DIRECTORY:
		return ENOTDIR;
	case EXT2_ET_DIR_EXISTS:
	case EXT2_ET_FILE_EXISTS:
		return EEXIST;
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_EA_NO_SPACE:
	case EXT2_ET_EXTENT_NO_SPACE:
	case EXT2_ET_INLINE_DATA_NO_SPACE:
	case EXT2_ET_DIR_NO_SPACE_FOR_CSUM:
		return ENOSPC;
	case EXT2_ET_NO_MEMORY:
		return ENOMEM;
	case EXT2_ET_RO_FILSYS:
		return EROFS;
	case EXT2_ET_FILE_RO:
		return EBADF;
	case EXT2_ET_FILE_TOO_BIG:
		return EFBIG;
	case EXT2_ET_SYMLINK_LOOP:
		return ELOOP;
	case EXT2_ET_EA_KEY_NOT_FOUND:
	case EXT2_ET_NO_INLINE_DATA:
		return ENODATA;
	case EXT2_ET_MISSING_EA_FEATURE:
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
		return EOPNOTSUPP;
	case EXT2_ET_INVALID_ARGUMENT:
	case EXT2_ET_EA_BAD_NAME_LEN:
		return EINVAL;
	default:
		return EIO;
	}
}
