const { src, dest, parallel } = require('gulp');

// tsc only emits JavaScript: copy the assets the compiled nodes reference by relative path.
function copyIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

function copyCodexFiles() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(copyIcons, copyCodexFiles);
