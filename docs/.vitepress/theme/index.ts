// The default VitePress theme, with the kit's few styles.
import DefaultTheme from 'vitepress/theme';
import './style.css';

export default DefaultTheme;
