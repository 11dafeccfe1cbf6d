import { render } from 'preact';
import { Diagnostics } from './diagnostics.tsx';

render(<Diagnostics />, document.getElementById('app')!);
